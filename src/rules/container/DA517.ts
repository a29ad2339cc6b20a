import { defineRule, forEachWorkload } from '../define.js';

export default defineRule({
  meta: {
    id: 'DA517',
    alias: 'container-host-ipc',
    family: 'container',
    title: "Containers do not share the host's IPC namespace",
    severity: 'high',
    rationale:
      "In the host IPC namespace the container can read and write the host's shared memory segments, semaphores and message queues, which other programs use to exchange data they trust.",
    remediation: "Remove --ipc host (ipc: host). Containers that must share memory can share one container's namespace (--ipc container:<name> or shareable).",
    references: { cis: ['5.17'], checklist: ['NS-3'] },
    needs: ['containers'],
    messages: {
      host: "shares the host's IPC namespace (ipc mode host; state: {{state}})",
      notHost: 'own IPC namespace (ipc mode {{mode}})',
    },
  },
  check: forEachWorkload((workload) =>
    workload.namespaces.ipc === 'host'
      ? { status: 'fail', messageId: 'host', data: { state: workload.state ?? 'defined' }, key: 'ipc' }
      : { status: 'pass', messageId: 'notHost', data: { mode: workload.namespaces.ipc || 'private' } },
  ),
});
