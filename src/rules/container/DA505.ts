import { defineRule, forEachWorkload } from '../define.js';

export default defineRule({
  meta: {
    id: 'DA505',
    alias: 'container-privileged',
    family: 'container',
    title: 'Containers are not privileged',
    severity: 'critical',
    rationale:
      'A privileged container gets every capability, every host device and no seccomp or AppArmor confinement: root in it is root on the host.',
    remediation: 'Remove --privileged (privileged: true); add only the capabilities and devices the workload needs.',
    references: { cis: ['5.5'], checklist: ['POL-3'] },
    needs: ['containers'],
    messages: {
      privileged: '{{kind}} runs privileged (state: {{state}})',
      notPrivileged: 'not privileged',
    },
  },
  check: forEachWorkload((workload) =>
    workload.privileged
      ? { status: 'fail', messageId: 'privileged', data: { kind: workload.kind, state: workload.state ?? 'defined' }, key: 'privileged' }
      : { status: 'pass', messageId: 'notPrivileged' },
  ),
});
