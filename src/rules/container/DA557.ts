import { defineRule, forEachWorkload, type Verdict } from '../define.js';
import { effectiveLogConfig, logDriverKind } from '../shared/logging.js';

type Messages = 'noLogs' | 'singleFile' | 'rotated' | 'notRotated' | 'journald' | 'cacheDisabled' | 'blocking' | 'fluentdSync' | 'buffered';

/** Go's strconv.ParseBool truth values, which dockerd uses for boolean log options. */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
}

export default defineRule({
  meta: {
    id: 'DA557',
    alias: 'container-logs-not-lost',
    family: 'container',
    title: 'Container logs survive rotation and log-server outages',
    severity: 'low',
    rationale:
      'Rotation with a single file truncates the only copy of the logs; a remote driver without the local cache keeps no copy when the log server is down, and in blocking mode a stalled log server freezes the application writing to stdout.',
    remediation:
      'Keep at least two rotated files (max-file >= 2); for remote drivers leave the daemon\'s local cache on (no cache-disabled=true), set mode=non-blocking with a max-buffer-size, and fluentd-async=true for fluentd.',
    references: { cis: [], checklist: ['EXP-2'] },
    needs: ['containers'],
    messages: {
      noLogs: 'log driver none: no logs are kept to lose (see DA556)',
      singleFile: 'log driver {{driver}} rotates at max-size={{maxSize}} with max-file={{maxFile}}: each rotation discards the only file',
      rotated: 'log driver {{driver}} keeps {{maxFile}} rotated files',
      notRotated: 'log driver json-file is not rotated, so rotation discards nothing (its unbounded growth is reported by DA554)',
      journald:
        'logs go to journald: whether they survive a reboot depends on the journal being persistent (Storage= in journald.conf, /var/log/journal), which dockaudit does not read',
      cacheDisabled:
        'log driver {{driver}} with the local cache disabled (cache-disabled={{value}} in {{origin}}): no local copy while the log server is unreachable',
      blocking: 'log driver {{driver}} in blocking mode (mode={{mode}}): a slow or unreachable log server blocks the application\'s writes to stdout and stderr',
      fluentdSync: 'log driver fluentd without fluentd-async: the container cannot start while fluentd is unreachable, and nothing is buffered for it',
      buffered: 'log driver {{driver}} is non-blocking with the local cache on',
    },
  },
  check: forEachWorkload((workload, { snapshot }) => {
    const { driver, options, daemonOptions } = effectiveLogConfig(workload, snapshot);
    switch (logDriverKind(driver)) {
      case 'none':
        return { status: 'info', messageId: 'noLogs' };
      case 'journald':
        return { status: 'manual', messageId: 'journald' };
      case 'file': {
        const maxSize = options['max-size'];
        if (driver === 'json-file' && !maxSize) return { status: 'pass', messageId: 'notRotated' };
        const maxFile = options['max-file'] ?? (driver === 'local' ? '5' : '1');
        return Number.parseInt(maxFile, 10) >= 2
          ? { status: 'pass', messageId: 'rotated', data: { driver, maxFile } }
          : { status: 'warn', messageId: 'singleFile', data: { driver, maxSize: maxSize ?? '20m', maxFile }, key: 'logging' };
      }
      case 'remote': {
        const verdicts: Verdict<Messages>[] = [];
        // The daemon copies its cache-* options into each container at creation; its current
        // log-opts still count for a container that carries none (created by an older daemon).
        const cacheDisabled = options['cache-disabled'] ?? daemonOptions['cache-disabled'];
        if (isTrue(cacheDisabled)) {
          const origin = options['cache-disabled'] === undefined ? "the daemon's log-opts" : 'the container';
          verdicts.push({ status: 'warn', messageId: 'cacheDisabled', data: { driver, value: cacheDisabled, origin }, key: 'logging' });
        }
        const mode = options['mode'] ?? 'blocking';
        if (mode !== 'non-blocking') verdicts.push({ status: 'warn', messageId: 'blocking', data: { driver, mode }, key: 'logging' });
        if (driver === 'fluentd' && !isTrue(options['fluentd-async']) && !isTrue(options['fluentd-async-connect'])) {
          verdicts.push({ status: 'warn', messageId: 'fluentdSync', key: 'logging' });
        }
        return verdicts.length > 0 ? verdicts : { status: 'pass', messageId: 'buffered', data: { driver } };
      }
    }
  }),
});
