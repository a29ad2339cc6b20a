import { defineRule, forEachWorkload } from '../define.js';

export default defineRule({
  meta: {
    id: 'DA510',
    alias: 'container-host-network',
    family: 'container',
    title: "Containers do not share the host's network namespace",
    severity: 'high',
    rationale:
      "With the host network the container sees every host interface, can bind any host port, reach services listening on the host's loopback and, with NET_ADMIN or NET_RAW, sniff or reconfigure the host's traffic.",
    remediation: 'Remove --network host (network_mode: host); attach the container to a user-defined network and publish the ports it serves.',
    references: { cis: ['5.10'], checklist: ['NS-1'] },
    needs: ['containers'],
    messages: {
      host: "shares the host's network namespace (network mode host; state: {{state}})",
      notHost: 'own network namespace (network mode {{mode}})',
    },
  },
  check: forEachWorkload((workload) =>
    workload.namespaces.network === 'host'
      ? { status: 'fail', messageId: 'host', data: { state: workload.state ?? 'defined' }, key: 'network_mode' }
      : { status: 'pass', messageId: 'notHost', data: { mode: workload.namespaces.network || 'default' } },
  ),
});
