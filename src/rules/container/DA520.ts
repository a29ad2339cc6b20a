import { defineRule, forEachWorkload, listOf } from '../define.js';

/** Propagation modes that carry mounts made inside the container back to the host. */
const SHARED = new Set(['shared', 'rshared']);

export default defineRule({
  meta: {
    id: 'DA520',
    alias: 'container-mount-propagation',
    family: 'container',
    title: 'Mount propagation is not shared',
    severity: 'medium',
    rationale:
      'With shared propagation a mount made inside the container appears on the host and in every other place the mount is shared, so a container can hide or replace host directories.',
    remediation: 'Drop the shared/rshared option from the bind mount (-v /src:/dst, or propagation: rprivate); use rslave where the container must see host mounts appear.',
    references: { cis: ['5.20'], checklist: [] },
    needs: ['containers'],
    messages: {
      shared: 'mounts with shared propagation: {{mounts}} (state: {{state}})',
      notShared: 'no mount uses shared propagation',
    },
  },
  check: forEachWorkload((workload) => {
    const shared = workload.mounts.filter((mount) => mount.propagation !== undefined && SHARED.has(mount.propagation));
    if (shared.length === 0) return { status: 'pass', messageId: 'notShared' };
    const mounts = listOf(shared.map((mount) => `${mount.source} -> ${mount.target} (${mount.propagation})`));
    return { status: 'fail', messageId: 'shared', data: { mounts, state: workload.state ?? 'defined' }, key: 'volumes' };
  }),
});
