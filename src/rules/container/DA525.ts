import { defineRule, forEachWorkload } from '../define.js';

export default defineRule({
  meta: {
    id: 'DA525',
    alias: 'container-cgroup-parent',
    family: 'container',
    title: 'Containers stay in the default cgroup',
    severity: 'low',
    rationale:
      "The daemon places each container under its own cgroup, where the limits set for Docker's containers apply; a container attached elsewhere escapes those limits or shares those of another group.",
    remediation: 'Remove --cgroup-parent (cgroup_parent) unless the workload is deliberately placed in a cgroup with its own limits.',
    references: { cis: ['5.25'], checklist: ['PERF-6'] },
    needs: ['containers'],
    messages: {
      custom: 'runs under the cgroup parent {{parent}}: confirm the limits of that cgroup are intended',
      default: 'uses the default cgroup parent',
    },
  },
  check: forEachWorkload((workload) =>
    workload.resources.cgroupParent
      ? { status: 'manual', messageId: 'custom', data: { parent: workload.resources.cgroupParent }, key: 'cgroup_parent' }
      : { status: 'pass', messageId: 'default' },
  ),
});
