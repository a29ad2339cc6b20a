import { defineRule, forEachWorkload, listOf } from '../define.js';

/** 1024 is the weight every container gets by default, so setting it changes nothing. */
const DEFAULT_CPU_SHARES = 1024;

export default defineRule({
  meta: {
    id: 'DA512',
    alias: 'container-cpu-priority',
    family: 'container',
    title: 'Container CPU use is bounded or weighted',
    severity: 'low',
    rationale:
      'By default every container gets the same CPU weight and no cap, so one busy or compromised container can starve the others and the host of processor time.',
    remediation:
      'Give the container a CPU cap (--cpus 1.5, deploy.resources.limits.cpus), a relative weight (--cpu-shares 512) or a CPU set (--cpuset-cpus 0,1).',
    references: { cis: ['5.12'], checklist: ['PERF-6'] },
    needs: ['containers'],
    messages: {
      unbounded: 'has no CPU limit, weight or CPU set (state: {{state}})',
      bounded: 'CPU use bounded: {{settings}}',
    },
  },
  check: forEachWorkload((workload) => {
    const { cpuShares, cpuQuota, nanoCpus, cpusetCpus } = workload.resources;
    const settings = [
      ...(nanoCpus > 0 ? [`cpus ${nanoCpus / 1e9}`] : []),
      ...(cpuQuota > 0 ? [`cpu-quota ${cpuQuota}`] : []),
      ...(cpuShares > 0 && cpuShares !== DEFAULT_CPU_SHARES ? [`cpu-shares ${cpuShares}`] : []),
      ...(cpusetCpus ? [`cpuset-cpus ${cpusetCpus}`] : []),
    ];
    return settings.length > 0
      ? { status: 'pass', messageId: 'bounded', data: { settings: listOf(settings) } }
      : { status: 'fail', messageId: 'unbounded', data: { state: workload.state ?? 'defined' }, key: 'cpus' };
  }),
});
