import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep } from '../../src/collect/sleep.js';

describe('sleep', () => {
  it('leaves no abort listener behind after many pauses on one signal', async () => {
    const controller = new AbortController();
    for (let pause = 0; pause < 50; pause += 1) await sleep(0, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('ends at once when the signal aborts, and at once when it had aborted already', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pause = sleep(60_000, controller.signal);
    controller.abort();
    await pause;
    await sleep(60_000, controller.signal);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
