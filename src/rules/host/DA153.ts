import { defineRule } from '../define.js';
import { forHost } from './support/host-subject.js';

export default defineRule({
  meta: {
    id: 'DA153',
    alias: 'host-pid-limits',
    family: 'host',
    title: "The host's PID and thread limits are shown",
    severity: 'info',
    rationale:
      'Every process of every container takes a PID from the one host-wide pool that kernel.pid_max and kernel.threads-max bound: a fork bomb in a container without a PIDs limit exhausts it for the whole host.',
    remediation: 'Limit PIDs per container (--pids-limit, pids_limit) and give the docker units a finite TasksMax; the kernel limits themselves only decide how large the shared pool is.',
    references: { cis: [], checklist: ['PID-1'] },
    needs: ['host'],
    messages: {
      limits: 'kernel.pid_max={{pidMax}}, kernel.threads-max={{threadsMax}}: containers share this pool unless each has a PIDs limit',
      notSeen: 'kernel.pid_max and kernel.threads-max were not read from /proc/sys',
    },
  },
  // Shown rather than judged: the kernel caps pid_max at 4194304, which systemd sets by default,
  // so a high value is normal; what protects the pool are the per-container and per-unit limits.
  check: forHost((system) => {
    const pidMax = system.sysctl['kernel.pid_max'];
    const threadsMax = system.sysctl['kernel.threads-max'];
    if (pidMax === undefined && threadsMax === undefined) return { status: 'skipped', messageId: 'notSeen' };
    return { status: 'info', messageId: 'limits', data: { pidMax: pidMax ?? 'not read', threadsMax: threadsMax ?? 'not read' } };
  }),
});
