import { defineRule, forEachWorkload } from '../define.js';

export default defineRule({
  meta: {
    id: 'DA529',
    alias: 'container-pids-limit',
    family: 'container',
    title: 'Container process count is limited',
    severity: 'medium',
    rationale:
      'Without a PIDs limit a fork bomb or a runaway worker pool in one container can use up the process table of the whole host, and then nothing new starts anywhere, not even a shell to repair it.',
    remediation: 'Set a PIDs limit sized for the workload: docker run --pids-limit 200 (pids_limit, or deploy.resources.limits.pids).',
    references: { cis: ['5.29'], checklist: ['PID-1', 'PERF-6'] },
    needs: ['containers'],
    messages: {
      unlimited: 'has no PIDs limit (state: {{state}})',
      limited: 'limited to {{limit}} processes',
    },
  },
  check: forEachWorkload((workload) =>
    workload.resources.pidsLimit > 0
      ? { status: 'pass', messageId: 'limited', data: { limit: workload.resources.pidsLimit } }
      : { status: 'fail', messageId: 'unlimited', data: { state: workload.state ?? 'defined' }, key: 'pids_limit' },
  ),
});
