import { isUnavailable, type Snapshot } from '../../snapshot/types.js';
import { obj, str, type Workload, type WorkloadPort } from '../../snapshot/workload.js';
import { describePort } from '../format.js';
import { defineRule, forEachWorkload, listOf, type Verdict } from '../define.js';

function containerPortKey(port: WorkloadPort): string {
  return `${port.containerPort}/${port.protocol}`;
}

/**
 * The ports the image declares. A live container's own ExposedPorts also holds every port
 * published with -p, so for containers the image's inspect document is read when it is known.
 */
function imageExposedPorts(snapshot: Snapshot, workload: Workload): string[] {
  if (workload.kind !== 'container' || !workload.imageId || isUnavailable(snapshot.images)) return workload.exposedPorts;
  const image = snapshot.images.find((candidate) => str(candidate.inspect, 'Id') === workload.imageId);
  return image === undefined ? workload.exposedPorts : Object.keys(obj(obj(image.inspect, 'Config'), 'ExposedPorts') ?? {});
}

type Messages = 'publishAll' | 'notExposed' | 'review' | 'none' | 'hostNetwork';

export default defineRule({
  meta: {
    id: 'DA509',
    alias: 'container-needed-ports',
    family: 'container',
    title: 'Containers publish only the ports they need',
    severity: 'medium',
    rationale:
      'Every published port is reachable from outside the host unless a firewall says otherwise; ports published by habit, by -P or for debugging widen the attack surface without anyone noticing.',
    remediation:
      'Publish each needed port explicitly (-p <host-ip>:<host-port>:<container-port>) and drop -P (publish_all) and the mappings nobody uses.',
    references: { cis: ['5.9'], checklist: ['NET-1'] },
    needs: ['containers'],
    messages: {
      publishAll: 'publishes every port its image exposes on random host ports (-P): {{ports}} (state: {{state}})',
      notExposed: 'publishes ports its image does not declare with EXPOSE: {{ports}} (image exposes: {{exposed}})',
      review: 'publishes {{ports}}: confirm that each is needed (state: {{state}})',
      none: 'publishes no port',
      hostNetwork: 'skipped: the container uses the host network, so every port it listens on is open on the host (see DA510)',
    },
  },
  check: forEachWorkload((workload, { snapshot }) => {
    if (workload.namespaces.network === 'host') return { status: 'skipped', messageId: 'hostNetwork' };
    if (workload.ports.length === 0) return { status: 'pass', messageId: 'none' };
    const state = workload.state ?? 'defined';
    const verdicts: Verdict<Messages>[] = [];
    if (workload.publishAll) {
      verdicts.push({ status: 'fail', messageId: 'publishAll', data: { ports: listOf(workload.ports.map(describePort)), state }, key: 'ports' });
    }
    const declared = imageExposedPorts(snapshot, workload);
    const undeclared = workload.ports.filter((port) => !declared.includes(containerPortKey(port)));
    if (undeclared.length > 0) {
      verdicts.push({
        status: 'warn',
        messageId: 'notExposed',
        data: { ports: listOf(undeclared.map(describePort)), exposed: listOf(declared) },
        key: 'ports',
      });
    }
    if (verdicts.length === 0) {
      verdicts.push({ status: 'manual', messageId: 'review', data: { ports: listOf(workload.ports.map(describePort)), state }, key: 'ports' });
    }
    return verdicts;
  }),
});
