import { formatBytes } from '../shared/format.js';
import { defineRule, forEachWorkload } from '../define.js';

export default defineRule({
  meta: {
    id: 'DA511',
    alias: 'container-memory-limit',
    family: 'container',
    title: 'Container memory is limited',
    severity: 'medium',
    rationale:
      'Without a limit one container can take all the memory of the host, through a leak or on purpose, and the kernel then kills processes of other containers or of the host itself.',
    remediation: 'Set a memory limit sized for the workload: docker run --memory 512m (mem_limit, or deploy.resources.limits.memory).',
    references: { cis: ['5.11'], checklist: ['PERF-1'] },
    needs: ['containers'],
    messages: {
      unlimited: 'has no memory limit (state: {{state}})',
      limited: 'memory limited to {{limit}}',
    },
  },
  check: forEachWorkload((workload) =>
    workload.resources.memory > 0
      ? { status: 'pass', messageId: 'limited', data: { limit: formatBytes(workload.resources.memory) } }
      : { status: 'fail', messageId: 'unlimited', data: { state: workload.state ?? 'defined' }, key: 'mem_limit' },
  ),
});
