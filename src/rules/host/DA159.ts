import { isUnavailable } from '../../snapshot/types.js';
import { defineRule, forEachWorkload } from '../define.js';
import { hostSystemOf } from './support/host-subject.js';
import {
  containerShippers,
  defaultLogDriver,
  describeCollectors,
  hostShippers,
  isRemoteDriver,
  syslogDaemons,
  type FoundCollector,
} from './support/log-collectors.js';

/** Where each remote driver is told to send records, by its own option name. */
const DESTINATION_OPTIONS = ['fluentd-address', 'gelf-address', 'syslog-address', 'splunk-url', 'awslogs-group', 'gcp-project', 'loki-url'];

export default defineRule({
  meta: {
    id: 'DA159',
    alias: 'container-logs-analysable',
    family: 'host',
    title: "Container logs are structured and reach a collector",
    severity: 'low',
    rationale:
      'Analysing logs needs records with their time, stream and container, kept where a collector can read them: json-file and journald files tailed by a shipper, or a remote driver sending each record to one. Discarded logs, or logs no collector reads, cannot be analysed.',
    remediation:
      'Keep a structured driver (json-file, journald) with a shipper reading it, or send logs with a remote driver (fluentd, gelf, syslog...); never use --log-driver none for workloads that matter.',
    references: { cis: [], checklist: ['ANA-1'] },
    needs: ['containers'],
    messages: {
      shipped: 'logs are sent by the {{driver}} driver to {{destination}}',
      collected: 'logs are written as structured records by the {{driver}} driver and a collector runs: {{collectors}}',
      binaryFormat:
        'the local driver keeps logs in a compressed binary format that only docker logs and the Engine API read: check that {{collectors}} reads them through the API',
      notCollected: 'logs stay in the {{driver}} driver on the host and no log collector runs on the host or as a container',
      discarded: 'the logging driver is none: the output is discarded and nothing can be analysed',
      notSeen: 'logs stay in the {{driver}} driver on the host; whether a collector runs is not visible ({{reason}})',
    },
  },
  check: (context) => {
    const system = hostSystemOf(context.snapshot);
    const onHost = hostShippers(system);
    const found: FoundCollector[] = [...(isUnavailable(onHost) ? [] : onHost), ...containerShippers(context.workloads)];
    // A syslog daemon that forwards also reads the journal (rsyslog's imjournal, syslog-ng's systemd-journal source).
    const daemons = system ? syslogDaemons(system) : [];
    const journalReaders: FoundCollector[] =
      system && !isUnavailable(daemons) && system.syslogForwarding.length > 0 ? daemons.map((name) => ({ name, where: 'forwarding the journal' })) : [];
    const defaultDriver = defaultLogDriver(context.snapshot);
    return forEachWorkload((workload) => {
      const driver = workload.logging.driver || defaultDriver;
      if (driver === 'none') return { status: 'fail', messageId: 'discarded', key: 'logging' };
      if (isRemoteDriver(driver)) {
        const option = DESTINATION_OPTIONS.find((name) => workload.logging.options[name]);
        const destination = option ? `${workload.logging.options[option]} (${option})` : "the driver's default endpoint";
        return { status: 'pass', messageId: 'shipped', data: { driver, destination } };
      }
      const readers = driver === 'journald' ? [...found, ...journalReaders] : found;
      if (readers.length > 0) {
        return driver === 'local'
          ? { status: 'warn', messageId: 'binaryFormat', data: { collectors: describeCollectors(readers) } }
          : { status: 'pass', messageId: 'collected', data: { driver, collectors: describeCollectors(readers) } };
      }
      if (isUnavailable(onHost)) return { status: 'skipped', messageId: 'notSeen', data: { driver, reason: onHost.reason } };
      return { status: 'fail', messageId: 'notCollected', data: { driver }, key: 'logging' };
    })(context);
  },
});
