/**
 * The work `watch` does for one container event does not grow with the containers on the host:
 * CPU time per event with n containers against 4n (against the stand-in daemon, whose own work per
 * event does not grow either). A full re-run of the host-wide rules per event would make it grow.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { watch, type WatchChange } from '../../src/audit/index.js';
import { idOf, startEventDaemon } from '../audit/event-daemon.js';

/** A watch over a stand-in daemon with `containers` containers; `measure` gives the CPU per event of `count` more. */
async function watching(containers: number): Promise<{ measure: (count: number) => Promise<number>; stop: () => Promise<void> }> {
  const daemon = await startEventDaemon();
  const hostRoot = mkdtempSync(join(tmpdir(), 'da-watch-growth-'));
  // The containers a DA505 line was seen for: the test's own polling stays constant work too.
  const reported = new Set<string>();
  let audited = false;
  for (let index = 0; index < containers; index += 1) daemon.set({ name: `c${index}`, privileged: false, running: index % 4 === 0 });
  const handle = watch({
    host: daemon.address,
    hostRoot,
    env: {},
    statuses: ['fail'],
    heartbeatMs: 0,
    onChange: (change: WatchChange) => {
      if (change.finding.ruleId === 'DA505') reported.add(change.finding.subject.id ?? '');
    },
    onNotice: (message) => (audited ||= message.includes('watching its events')),
  });
  const stop = async (): Promise<void> => {
    await handle.stop();
    await daemon.close();
    rmSync(hostRoot, { recursive: true, force: true });
  };
  const wait = async (condition: () => boolean): Promise<void> => {
    const started = Date.now();
    while (!condition()) {
      if (Date.now() - started > 120_000) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
  let next = 0;
  const measure = async (count: number): Promise<number> => {
    const before = process.cpuUsage();
    for (let done = 0; done < count; done += 1) {
      const name = `p${(next += 1)}`;
      daemon.set({ name, privileged: true });
      daemon.event('container', 'create', name);
      const id = idOf(name);
      await wait(() => reported.has(id));
    }
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000 / count;
  };
  try {
    await wait(() => audited);
    // A few events first, so lazily loaded code is loaded.
    await measure(5);
  } catch (error) {
    await stop();
    throw error;
  }
  return { measure, stop };
}

describe('watch per-event work', () => {
  it('does not grow with the number of containers on the host (600 against 2400)', async () => {
    const small = await watching(600);
    const large = await watching(2400);
    try {
      // In turns, the least of each: other tests running on the machine meanwhile inflate single rounds.
      let smallest = Infinity;
      let largest = Infinity;
      for (let round = 0; round < 4; round += 1) {
        smallest = Math.min(smallest, await small.measure(10));
        largest = Math.min(largest, await large.measure(10));
      }
      console.log(`watch: CPU per container event: ${smallest.toFixed(2)} ms with 600 containers, ${largest.toFixed(2)} ms with 2400 (${(largest / smallest).toFixed(2)}x)`);
      expect(largest / smallest).toBeLessThan(1.75);
    } finally {
      await small.stop();
      await large.stop();
    }
  }, 300_000);
});
