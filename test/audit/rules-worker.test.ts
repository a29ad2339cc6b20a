import { describe, expect, it } from 'vitest';
import { RulesWorkerFailed, startRulesWorker } from '../../src/audit/rules-worker.js';
import { configSchema } from '../../src/engine/config.js';

describe('rules worker', () => {
  // Under the test runner this module is TypeScript, which a worker thread cannot load: a real
  // failure of the thread, which callers tell from an error of the rules by its class.
  it('rejects with RulesWorkerFailed when the thread gives no answer, and can be stopped', async () => {
    const worker = startRulesWorker(['dockerfile']);
    const answer = worker.evaluate({ ruleIds: ['DA810'], files: [], config: configSchema.parse({}), collectedAt: '2026-01-01T00:00:00.000Z' });
    await expect(answer).rejects.toBeInstanceOf(RulesWorkerFailed);
    await expect(answer).rejects.toThrow(/^the rules worker (failed|stopped)/);
    worker.stop();
  });
});
