import { defineRule, forEachWorkload } from '../define.js';
import { FILE_DRIVERS, effectiveLogConfig } from '../shared/logging.js';

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
