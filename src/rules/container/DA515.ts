import { defineRule, forEachWorkload } from '../define.js';

/** CIS 5.15 asks for at most five restart attempts. */
const MAX_RETRIES = 5;

/** Policies that restart without any bound (`any` is the Swarm spelling of always). */
const UNBOUNDED = new Set(['always', 'unless-stopped', 'any']);

export default defineRule({
  meta: {
    id: 'DA515',
    alias: 'container-restart-policy',
    family: 'container',
    title: 'Restart policy is on-failure with at most 5 retries',
    severity: 'low',
    rationale:
      'A container that restarts forever hides a crash loop, keeps retrying an exploit-triggered failure and can exhaust the host; a bounded number of on-failure retries recovers from transient errors and then stops for someone to look.',
    remediation: 'Use --restart on-failure:5 (restart: on-failure:5, or deploy.restart_policy with condition on-failure and max_attempts 5).',
    references: { cis: ['5.15'], checklist: ['RST-1'] },
    needs: ['containers'],
    messages: {
      unbounded: 'restart policy {{policy}} restarts without limit{{restarts}}',
      unlimitedRetries: 'restart policy on-failure has no maximum retry count, so it retries forever{{restarts}}',
      tooManyRetries: 'restart policy on-failure allows {{retries}} retries, more than 5{{restarts}}',
      bounded: 'restart policy on-failure with at most {{retries}} retries',
      boundedService: 'service restarts on any exit, at most {{retries}} times (MaxAttempts)',
      tooManyAttempts: 'service restarts on any exit up to {{retries}} times (max_attempts), more than 5',
      noRestart: 'restart policy {{policy}}: the container is never restarted automatically',
      unknown: 'restart policy {{policy}} is not one dockaudit knows: check that its retries are bounded',
    },
  },
  check: forEachWorkload((workload) => {
    const policy = workload.restart.name || 'no';
    const retries = workload.restart.maximumRetryCount;
    const restarts = workload.restartCount !== undefined && workload.restartCount > 0 ? ` (restarted ${workload.restartCount} times so far)` : '';
    if (policy === 'no' || policy === 'none') return { status: 'pass', messageId: 'noRestart', data: { policy } };
    // A Swarm service (or a Compose service's deploy.restart_policy) restarting on any exit with
    // MaxAttempts set is bounded, like on-failure:N, and judged by the same threshold.
    if (workload.kind !== 'container' && policy === 'always' && retries > 0) {
      return retries <= MAX_RETRIES
        ? { status: 'pass', messageId: 'boundedService', data: { retries } }
        : { status: 'fail', messageId: 'tooManyAttempts', data: { retries }, key: 'restart' };
    }
    if (UNBOUNDED.has(policy)) return { status: 'fail', messageId: 'unbounded', data: { policy, restarts }, key: 'restart' };
    if (policy !== 'on-failure') return { status: 'manual', messageId: 'unknown', data: { policy }, key: 'restart' };
    if (retries <= 0) return { status: 'fail', messageId: 'unlimitedRetries', data: { restarts }, key: 'restart' };
    if (retries > MAX_RETRIES) return { status: 'fail', messageId: 'tooManyRetries', data: { retries, restarts }, key: 'restart' };
    return { status: 'pass', messageId: 'bounded', data: { retries } };
  }),
});
