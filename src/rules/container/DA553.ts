import { defineRule, forEachWorkload, type Verdict } from '../define.js';

type Messages = 'disabledWithoutLimit' | 'disabledWithLimit' | 'negativeScore' | 'defaults';

export default defineRule({
  meta: {
    id: 'DA553',
    alias: 'container-oom-settings',
    family: 'container',
    title: 'Out-of-memory handling is not weakened',
    severity: 'high',
    rationale:
      'With the OOM killer disabled and no memory limit, a container that runs out of memory makes the kernel stall instead of killing it, which can hang the host; a negative OOM score makes the kernel kill other processes, or the daemon, before the container.',
    remediation:
      'Only use --oom-kill-disable together with --memory; leave --oom-score-adj at 0 (or positive) unless the container must outlive everything else on the host.',
    references: { cis: [], checklist: ['PERF-4'] },
    needs: ['containers'],
    messages: {
      disabledWithoutLimit: 'OOM killer disabled (oom-kill-disable) without a memory limit: running out of memory can hang the host',
      disabledWithLimit: 'OOM killer disabled inside a {{memory}}-byte memory limit: the container stalls at its limit instead of being killed',
      negativeScore: 'OOM score adjusted to {{score}}: the kernel kills other processes before this container',
      defaults: 'OOM killer enabled, OOM score adjustment {{score}}',
    },
  },
  check: forEachWorkload((workload) => {
    const { oomKillDisable, oomScoreAdj, memory } = workload.resources;
    const verdicts: Verdict<Messages>[] = [];
    if (oomKillDisable && memory <= 0) {
      verdicts.push({ status: 'fail', messageId: 'disabledWithoutLimit', key: 'oom_kill_disable' });
    }
    if (oomScoreAdj < 0) {
      verdicts.push({ status: 'warn', messageId: 'negativeScore', data: { score: oomScoreAdj }, key: 'oom_score_adj', severity: 'low' });
    }
    if (verdicts.length > 0) return verdicts;
    return oomKillDisable
      ? { status: 'pass', messageId: 'disabledWithLimit', data: { memory } }
      : { status: 'pass', messageId: 'defaults', data: { score: oomScoreAdj } };
  }),
});
