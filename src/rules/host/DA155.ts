import { defineRule } from '../define.js';
import { forHost } from './support/host-subject.js';

const OVERCOMMIT: Record<string, string> = {
  '0': 'heuristic overcommit, the default',
  '1': 'always overcommit: allocations never fail, the OOM killer acts instead',
  '2': 'no overcommit: allocations beyond the commit limit fail',
};

export default defineRule({
  meta: {
    id: 'DA155',
    alias: 'host-oom-behaviour',
    family: 'host',
    title: 'An out-of-memory condition kills a process, not the host',
    severity: 'medium',
    rationale:
      'With vm.panic_on_oom set, running out of memory panics the kernel instead of killing one process: on a Docker host a single container without a memory limit (or, with 2, any container reaching its own limit) reboots every other container with it.',
    remediation: 'Set vm.panic_on_oom=0 (sysctl -w vm.panic_on_oom=0 and a file in /etc/sysctl.d/) and give containers memory limits.',
    references: { cis: [], checklist: ['PERF-4'] },
    needs: ['host'],
    messages: {
      killsProcess: 'vm.panic_on_oom=0, the OOM killer ends a process; vm.overcommit_memory={{overcommit}} ({{overcommitMeaning}})',
      panicsOnSystemOom:
        'vm.panic_on_oom={{panic}}: a host-wide out-of-memory panics the kernel instead of killing a process, so one container without a memory limit can take the host down; vm.overcommit_memory={{overcommit}} ({{overcommitMeaning}})',
      panicsAlways:
        'vm.panic_on_oom=2: any out-of-memory, even a container reaching its own memory limit, panics the kernel; vm.overcommit_memory={{overcommit}} ({{overcommitMeaning}})',
      notSeen: 'vm.panic_on_oom was not read from /proc/sys',
    },
  },
  check: forHost((system) => {
    const panic = system.sysctl['vm.panic_on_oom']?.trim();
    if (panic === undefined) return { status: 'skipped', messageId: 'notSeen' };
    const overcommit = system.sysctl['vm.overcommit_memory']?.trim() ?? 'not read';
    const data = { panic, overcommit, overcommitMeaning: OVERCOMMIT[overcommit] ?? 'unknown value' };
    if (panic === '2') return { status: 'fail', messageId: 'panicsAlways', data };
    if (panic !== '0') return { status: 'warn', messageId: 'panicsOnSystemOom', data };
    return { status: 'pass', messageId: 'killsProcess', data };
  }),
});
