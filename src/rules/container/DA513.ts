import type { WorkloadMount } from '../../views/workload.js';
import { defineRule, forEachWorkload, listOf } from '../define.js';

function writableBinds(mounts: WorkloadMount[]): string {
  return listOf(mounts.filter((mount) => mount.type === 'bind' && !mount.readOnly).map((mount) => `${mount.source} -> ${mount.target}`));
}

export default defineRule({
  meta: {
    id: 'DA513',
    alias: 'container-read-only-rootfs',
    family: 'container',
    title: "Containers' root filesystems are read-only",
    severity: 'medium',
    rationale:
      'A read-only root filesystem stops an intruder from replacing the programs and libraries of the container or leaving tools behind, and makes every place the application may write explicit.',
    remediation:
      'Run with --read-only (read_only: true) and give the application writable volumes or tmpfs mounts only where it writes (--tmpfs /tmp, a data volume); keep host bind mounts read-only (:ro) where possible.',
    references: { cis: ['5.13'], checklist: ['PERM-3'] },
    needs: ['containers'],
    messages: {
      writable: 'root filesystem is writable (state: {{state}}); writable bind mounts: {{binds}}',
      readOnly: 'root filesystem is read-only; writable bind mounts: {{binds}}',
    },
  },
  check: forEachWorkload((workload) => {
    const binds = writableBinds(workload.mounts);
    return workload.readOnlyRootfs
      ? { status: 'pass', messageId: 'readOnly', data: { binds } }
      : { status: 'fail', messageId: 'writable', data: { state: workload.state ?? 'defined', binds }, key: 'read_only' };
  }),
});
