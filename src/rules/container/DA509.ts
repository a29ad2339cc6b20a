import type { WorkloadPort } from '../../views/workload.js';
import { describePorts } from '../shared/format.js';
import { defineRule, forEachWorkload, listOf, type Verdict } from '../define.js';

function containerPortKey(port: WorkloadPort): string {
  return `${port.containerPort}/${port.protocol}`;
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
  check: forEachWorkload((workload) => {
    if (workload.namespaces.network === 'host') return { status: 'skipped', messageId: 'hostNetwork' };
    if (workload.ports.length === 0) return { status: 'pass', messageId: 'none' };
    const state = workload.state ?? 'defined';
    const verdicts: Verdict<Messages>[] = [];
    if (workload.publishAll) {
      verdicts.push({ status: 'fail', messageId: 'publishAll', data: { ports: describePorts(workload.ports), state }, key: 'ports' });
    }
    // The workload carries the image's EXPOSE list (a live container's own list also holds its -p ports).
    const declared = workload.exposedPorts;
    const declaredKeys = new Set(declared);
    const undeclared = workload.ports.filter((port) => !declaredKeys.has(containerPortKey(port)));
    if (undeclared.length > 0) {
      verdicts.push({
        status: 'warn',
        messageId: 'notExposed',
        data: { ports: describePorts(undeclared), exposed: listOf(declared) },
        key: 'ports',
      });
    }
    if (verdicts.length === 0) {
      verdicts.push({ status: 'manual', messageId: 'review', data: { ports: describePorts(workload.ports), state }, key: 'ports' });
    }
    return verdicts;
  }),
});
