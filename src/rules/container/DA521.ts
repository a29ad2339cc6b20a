import { defineRule, forEachWorkload } from '../define.js';

export default defineRule({
  meta: {
    id: 'DA521',
    alias: 'container-host-uts',
    family: 'container',
    title: "Containers do not share the host's UTS namespace",
    severity: 'medium',
    rationale:
      "In the host UTS namespace the container shares the host's hostname and NIS domain name; with enough privilege it can change them for the whole host, which confuses logs, certificates and anything keyed on the host name.",
    remediation: 'Remove --uts host (uts: host); set a hostname for the container with --hostname if it needs one.',
    references: { cis: ['5.21'], checklist: ['NS-4'] },
    needs: ['containers'],
    messages: {
      host: "shares the host's UTS namespace (uts mode host; state: {{state}})",
      notHost: 'own UTS namespace',
    },
  },
  check: forEachWorkload((workload) =>
    workload.namespaces.uts === 'host'
      ? { status: 'fail', messageId: 'host', data: { state: workload.state ?? 'defined' }, key: 'uts' }
      : { status: 'pass', messageId: 'notHost' },
  ),
});
