import type { WorkloadUlimit } from '../../views/workload.js';
import { defineRule, forEachWorkload, listOf } from '../define.js';

function describe(ulimit: WorkloadUlimit): string {
  const bound = (value: number): string => (value < 0 ? 'unlimited' : String(value));
  return `${ulimit.name}=${bound(ulimit.soft)}:${bound(ulimit.hard)}`;
}

export default defineRule({
  meta: {
    id: 'DA519',
    alias: 'container-ulimits',
    family: 'container',
    title: 'Default ulimits are overridden only where needed',
    severity: 'low',
    rationale:
      "The daemon's default ulimits bound open files and processes for every container; a per-container override, especially a raised or unlimited one, lets that container use more of the host than the others and deserves a reason.",
    remediation: 'Remove --ulimit (ulimits) overrides the workload does not need; set shared defaults on the daemon with default-ulimits instead.',
    references: { cis: ['5.19'], checklist: ['PERF-6'] },
    needs: ['containers'],
    messages: {
      overridden: 'overrides the default ulimits: {{ulimits}}: confirm each is needed',
      defaults: "uses the daemon's default ulimits",
    },
  },
  check: forEachWorkload((workload) =>
    workload.resources.ulimits.length > 0
      ? { status: 'manual', messageId: 'overridden', data: { ulimits: listOf(workload.resources.ulimits.map(describe)) }, key: 'ulimits' }
      : { status: 'pass', messageId: 'defaults' },
  ),
});
