import { isUnavailable } from '../../snapshot/types.js';
import { defineRule, listOf } from '../define.js';
import { hostSubject, hostSystemOf } from './support/host-subject.js';
import { containerShippers, defaultLogDriver, describeCollectors, hostShippers, isRemoteDriver } from './support/log-collectors.js';

export default defineRule({
  meta: {
    id: 'DA158',
    alias: 'log-collector-running',
    family: 'host',
    title: 'A log collector processes the container logs',
    severity: 'medium',
    rationale:
      'Logs help only when something reads them: a collector (a shipper on the host or in a container, or a remote log driver feeding one) is what turns container output into searchable, alertable records kept away from the host.',
    remediation:
      'Run a log shipper (Fluent Bit, Vector, Promtail, Filebeat, the OpenTelemetry Collector...) on the host or as a container reading the container logs, or configure a remote log driver (fluentd, gelf, syslog...) in daemon.json.',
    references: { cis: [], checklist: ['ANA-2'] },
    needs: ['containers'],
    messages: {
      collectorRuns: 'a log collector runs: {{collectors}}',
      remoteDrivers: 'no collector runs here, but every container sends its logs away with a remote driver ({{drivers}})',
      noCollector: 'no log collector runs on the host or as a container, and not every container sends its logs away (log drivers: {{drivers}})',
      notSeen: 'no log collector runs as a container, and host processes are not visible ({{reason}}); log drivers: {{drivers}}',
    },
  },
  check: ({ snapshot, workloads }) => {
    const subject = hostSubject(snapshot);
    const system = hostSystemOf(snapshot);
    const onHost = hostShippers(system);
    const found = [...(isUnavailable(onHost) ? [] : onHost), ...containerShippers(workloads)];
    if (found.length > 0) return [{ subject, status: 'pass', messageId: 'collectorRuns', data: { collectors: describeCollectors(found) } }];
    const defaultDriver = defaultLogDriver(snapshot);
    const used = workloads.length > 0 ? workloads.map((workload) => workload.logging.driver || defaultDriver) : [defaultDriver];
    const drivers = [...new Set(used)].sort();
    const data = { drivers: listOf(drivers) };
    // Logs already on their way to a remote endpoint are processed there, not here.
    if (drivers.every(isRemoteDriver)) return [{ subject, status: 'pass', messageId: 'remoteDrivers', data }];
    if (isUnavailable(onHost)) return [{ subject, status: 'skipped', messageId: 'notSeen', data: { ...data, reason: onHost.reason } }];
    return [{ subject, status: 'fail', messageId: 'noCollector', data }];
  },
});
