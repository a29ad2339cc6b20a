import { isUnavailable, type Snapshot } from '../../snapshot/types.js';
import { str, type Workload } from '../../snapshot/workload.js';
import { defineRule, forEachWorkload } from '../define.js';

/** Drivers whose logs dockerd writes to files under its data root. */
const FILE_DRIVERS = new Set(['json-file', 'local']);

/** What a log driver does with a container's output. */
export type LogDriverKind = 'file' | 'journald' | 'none' | 'remote';

/** Built-in remote drivers, and any plugin (`grafana/loki-docker-driver:latest`, `loki`), ship logs away. */
export function logDriverKind(driver: string): LogDriverKind {
  if (FILE_DRIVERS.has(driver)) return 'file';
  if (driver === 'journald' || driver === 'none') return driver;
  return 'remote';
}

export interface EffectiveLogConfig {
  driver: string;
  options: Record<string, string>;
  /** The daemon's default driver and options (`log-driver`, `log-opts`). */
  daemonDriver: string;
  daemonOptions: Record<string, string>;
}

function daemonLogDefaults(snapshot: Snapshot): { driver: string; options: Record<string, string> } {
  const daemon = snapshot.daemon;
  if (isUnavailable(daemon)) return { driver: 'json-file', options: {} };
  const settings = isUnavailable(daemon.config) ? {} : daemon.config.settings;
  const configured = settings['log-opts'];
  const options: Record<string, string> = {};
  if (typeof configured === 'object' && configured !== null) {
    for (const [key, value] of Object.entries(configured)) if (typeof value === 'string') options[key] = value;
  }
  const driver = str(daemon.info, 'LoggingDriver') || (typeof settings['log-driver'] === 'string' ? settings['log-driver'] : '') || 'json-file';
  return { driver, options };
}

/**
 * The log driver and options a workload runs with. A live container already carries what
 * the daemon merged into it when it was created (its default log-opts when the driver is the
 * default one, the `cache-*` options always); for a workload defined in a file, that merge is
 * done here, as the daemon will do it when the container is created.
 */
export function effectiveLogConfig(workload: Workload, snapshot: Snapshot): EffectiveLogConfig {
  const daemon = daemonLogDefaults(snapshot);
  const driver = workload.logging.driver || daemon.driver;
  const options = { ...workload.logging.options };
  if (workload.kind !== 'container') {
    for (const [key, value] of Object.entries(daemon.options)) {
      if (key in options) continue;
      if (driver === daemon.driver || key.startsWith('cache-')) options[key] = value;
    }
  }
  return { driver, options, daemonDriver: daemon.driver, daemonOptions: daemon.options };
}

export default defineRule({
  meta: {
    id: 'DA554',
    alias: 'container-log-size-cap',
    family: 'container',
    title: 'Local container logs are size-capped',
    severity: 'medium',
    rationale:
      'The json-file driver keeps a single, ever-growing file per container unless max-size is set: a chatty or looping container fills the disk of the Docker data root and takes every other container down with it.',
    remediation:
      'Set max-size and max-file for json-file (--log-opt max-size=10m --log-opt max-file=3, or "log-opts" in daemon.json then recreate the containers), or use the local driver, which is capped by default.',
    references: { cis: [], checklist: ['PERF-6'] },
    needs: ['containers'],
    messages: {
      uncapped: 'log driver json-file without max-size: the log file grows without bound',
      createdBeforeDaemonCap:
        'log driver json-file without max-size: the daemon now sets max-size={{daemonMaxSize}} in its log-opts, but this container was created before and keeps its unbounded log until it is recreated',
      capped: 'log driver {{driver}} capped at max-size={{maxSize}}, max-file={{maxFile}}',
      localDefault: 'log driver local with its default cap (20 MB per file, 5 files)',
      notFileDriver: 'log driver {{driver}} writes no log file under the Docker data root',
    },
  },
  check: forEachWorkload((workload, { snapshot }) => {
    const { driver, options, daemonDriver, daemonOptions } = effectiveLogConfig(workload, snapshot);
    if (!FILE_DRIVERS.has(driver)) return { status: 'pass', messageId: 'notFileDriver', data: { driver } };
    const maxSize = options['max-size'];
    if (maxSize) {
      const maxFile = options['max-file'] ?? (driver === 'local' ? '5' : '1');
      return { status: 'pass', messageId: 'capped', data: { driver, maxSize, maxFile } };
    }
    if (driver === 'local') return { status: 'pass', messageId: 'localDefault' };
    const daemonMaxSize = daemonDriver === 'json-file' ? daemonOptions['max-size'] : undefined;
    if (daemonMaxSize && workload.kind === 'container') {
      return { status: 'fail', messageId: 'createdBeforeDaemonCap', data: { daemonMaxSize }, key: 'logging' };
    }
    return { status: 'fail', messageId: 'uncapped', key: 'logging' };
  }),
});
