import * as z from '../../zod.js';
import { defineRule, forEachWorkload } from '../define.js';

export default defineRule({
  meta: {
    id: 'DA555',
    alias: 'container-restart-storm',
    family: 'container',
    title: 'No container is caught in a restart loop',
    severity: 'medium',
    rationale:
      'A container that crashes and is restarted without limit burns CPU, floods the logs and hides the failure behind an apparently running service; every restart also re-runs its start-up work against shared resources.',
    remediation:
      'Find out why the container exits (docker logs, docker inspect State), fix it, and prefer --restart on-failure:5 so that a persistent failure stops instead of looping.',
    references: { cis: [], checklist: ['PERF-6', 'ANA-3'] },
    needs: ['containers'],
    messages: {
      restartStorm: 'restarted {{count}} times under restart policy {{policy}} (state: {{state}}, threshold {{threshold}})',
      stable: 'restarted {{count}} times under restart policy {{policy}}',
    },
  },
  options: z.object({
    /** Restarts above this count are reported. */
    maxRestarts: z._default(z.int().check(z.gte(0)), 10),
  }),
  check: forEachWorkload((workload, { options }) => {
    // Only live containers have a restart count; a file-defined workload has none yet.
    if (workload.restartCount === undefined) return undefined;
    const { name, maximumRetryCount } = workload.restart;
    const policy = name === 'on-failure' ? `on-failure:${maximumRetryCount || 'unlimited'}` : name;
    const unbounded = name === 'always' || name === 'unless-stopped' || (name === 'on-failure' && maximumRetryCount <= 0);
    const data = { count: workload.restartCount, policy, state: workload.state ?? 'unknown', threshold: options.maxRestarts };
    return unbounded && workload.restartCount > options.maxRestarts
      ? { status: 'warn', messageId: 'restartStorm', data, key: 'restart' }
      : { status: 'pass', messageId: 'stable', data };
  }),
});
