import { defineRule, forEachWorkload } from '../define.js';

export default defineRule({
  meta: {
    id: 'DA516',
    alias: 'container-host-pid',
    family: 'container',
    title: "Containers do not share the host's process namespace",
    severity: 'high',
    rationale:
      "In the host PID namespace the container sees every process of the host, their command lines and environments, and as root can signal or trace them: stopping the daemon or reading another program's memory is one command away.",
    remediation: 'Remove --pid host (pid: host). To debug another container, share that container\'s namespace (--pid container:<name>) instead.',
    references: { cis: ['5.16'], checklist: ['NS-2'] },
    needs: ['containers'],
    messages: {
      host: "shares the host's process namespace (pid mode host; state: {{state}})",
      notHost: 'own process namespace (pid mode {{mode}})',
    },
  },
  check: forEachWorkload((workload) =>
    workload.namespaces.pid === 'host'
      ? { status: 'fail', messageId: 'host', data: { state: workload.state ?? 'defined' }, key: 'pid' }
      : { status: 'pass', messageId: 'notHost', data: { mode: workload.namespaces.pid || 'private' } },
  ),
});
