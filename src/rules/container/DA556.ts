import { isUnavailable, type Snapshot } from '../../snapshot/types.js';
import { type Workload } from '../../views/workload.js';
import { str } from '../../snapshot/api-document.js';
import { defineRule, forEachWorkload } from '../define.js';
import { effectiveLogConfig, logDriverKind, logShipperOfImage } from '../shared/logging.js';

const DOCKER_SOCKETS = new Set(['/var/run/docker.sock', '/run/docker.sock']);

type Shipper = { name: string; path: string } | undefined;

/** Found once per workload list: looking it up for every workload made the rule quadratic. */
const shippers = new WeakMap<Workload[], Shipper>();

function findShipperOnce(workloads: Workload[], snapshot: Snapshot): Shipper {
  if (!shippers.has(workloads)) shippers.set(workloads, findShipper(workloads, snapshot));
  return shippers.get(workloads);
}

/** A running workload that reads other containers' log files or their logs through the API. */
function findShipper(workloads: Workload[], snapshot: Snapshot): Shipper {
  const daemon = snapshot.daemon;
  const root = (isUnavailable(daemon) ? '' : str(daemon.info, 'DockerRootDir')) || '/var/lib/docker';
  const logDirectories = new Set([root, `${root}/containers`]);
  for (const workload of workloads) {
    if (workload.kind === 'container' && workload.state !== 'running') continue;
    for (const mount of workload.mounts) {
      if (mount.type !== 'bind') continue;
      const source = mount.source.replace(/\/+$/, '');
      if (logDirectories.has(source)) return { name: workload.name, path: source };
      // A known shipper given the socket reads the logs through the API.
      if (DOCKER_SOCKETS.has(source) && logShipperOfImage(workload.image) !== undefined) return { name: workload.name, path: source };
    }
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'DA556',
    alias: 'container-logs-exported',
    family: 'container',
    title: 'Container logs leave the host',
    severity: 'medium',
    rationale:
      'Logs that only exist on the Docker host are lost with it and can be erased by whoever compromises it; shipping them to a central collector keeps the evidence and lets them be searched and alerted on.',
    remediation:
      'Use a remote log driver (syslog, gelf, fluentd, awslogs, splunk, gcplogs or a logging plugin) on the daemon ("log-driver" in daemon.json) or per container, or run a log shipper that reads the json-file/local logs; never --log-driver none.',
    references: { cis: [], checklist: ['EXP-1'] },
    needs: ['containers'],
    messages: {
      noLogs: 'log driver none: the container output is not kept anywhere',
      remote: 'logs are sent away by the {{driver}} driver',
      journald: 'logs go to the host journal (journald driver), where a forwarder can collect them',
      shipper: 'logs stay in {{driver}} files on the host, read by the log shipper {{shipper}} (mounts {{path}})',
      hostOnly:
        'logs stay in {{driver}} files on the host unless a shipper collects them: no running container reads them, and a shipper installed on the host itself is not visible to dockaudit',
    },
  },
  check: forEachWorkload((workload, { snapshot, workloads }) => {
    const { driver } = effectiveLogConfig(workload, snapshot);
    switch (logDriverKind(driver)) {
      case 'none':
        return { status: 'fail', messageId: 'noLogs', key: 'logging' };
      case 'remote':
        return { status: 'pass', messageId: 'remote', data: { driver } };
      case 'journald':
        return { status: 'pass', messageId: 'journald' };
      case 'file': {
        const shipper = findShipperOnce(workloads, snapshot);
        return shipper
          ? { status: 'pass', messageId: 'shipper', data: { driver, shipper: shipper.name, path: shipper.path } }
          : { status: 'warn', messageId: 'hostOnly', data: { driver }, key: 'logging' };
      }
    }
  }),
});
