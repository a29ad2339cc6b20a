import type { HostSystemFacts } from '../../snapshot/host.js';
import { defineRule } from '../define.js';
import { forHost } from './support/host-subject.js';

/** systemd's DefaultTasksMax since version 240: 15% of the kernel's limit. */
const DEFAULT_TASKS_MAX_SHARE = 0.15;

function integer(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number.parseInt(value, 10);
}

/** What systemd's default amounts to on this host, as far as the sysctls tell. */
function defaultLimit(system: HostSystemFacts): string {
  const limits = [integer(system.sysctl['kernel.pid_max']), integer(system.sysctl['kernel.threads-max'])].filter(
    (value): value is number => value !== undefined,
  );
  if (limits.length === 0) return "15% of the kernel's task limit";
  const kernelLimit = Math.min(...limits);
  return `15% of the kernel limit of ${kernelLimit}, about ${Math.floor(kernelLimit * DEFAULT_TASKS_MAX_SHARE)} tasks`;
}

export default defineRule({
  meta: {
    id: 'DA154',
    alias: 'docker-unit-tasks-max',
    family: 'host',
    title: 'docker.service has a finite TasksMax',
    severity: 'low',
    rationale:
      "TasksMax caps the processes and threads of the daemon's unit: with infinity, a runaway dockerd or whatever runs inside the unit (docker-proxy, plugins, a containerd it starts itself) can take the host's whole PID pool.",
    remediation:
      'Set TasksMax to a number sized for the daemon (for example TasksMax=8192 in a docker.service.d drop-in), then systemctl daemon-reload; limit containers with --pids-limit.',
    references: { cis: [], checklist: ['PID-1'] },
    needs: ['host'],
    messages: {
      limited: 'docker.service has TasksMax={{value}}',
      unlimited: 'docker.service has TasksMax={{value}}: the daemon unit may use every PID of the host',
      unset: "docker.service sets no TasksMax: systemd's default applies ({{defaultLimit}}, unless DefaultTasksMax is changed in system.conf)",
      noUnit: 'no docker.service unit was found: the daemon is not run by systemd here',
    },
  },
  check: forHost((system) => {
    const unit = system.units.find((candidate) => candidate.name === 'docker.service');
    if (unit === undefined || (unit.fragmentPath === undefined && unit.dropIns.length === 0)) return { status: 'skipped', messageId: 'noUnit' };
    const value = unit.directives['TasksMax']?.trim() ?? '';
    if (value === '') return { status: 'warn', messageId: 'unset', data: { defaultLimit: defaultLimit(system) } };
    if (value.toLowerCase() === 'infinity') return { status: 'warn', messageId: 'unlimited', data: { value } };
    return { status: 'pass', messageId: 'limited', data: { value } };
  }),
});
