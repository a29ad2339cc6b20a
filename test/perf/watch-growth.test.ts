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

async function cpuPerEvent(containers: number, events: number): Promise<number> {
  const daemon = await startEventDaemon();
  const hostRoot = mkdtempSync(join(tmpdir(), 'da-watch-growth-'));
  const changes: WatchChange[] = [];
  let audited = false;
  for (let index = 0; index < containers; index += 1) daemon.set({ name: `c${index}`, privileged: false, running: index % 4 === 0 });
  const handle = watch({
    host: daemon.address,
    hostRoot,
    env: {},
    statuses: ['fail'],
    heartbeatMs: 0,
    onChange: (change) => changes.push(change),
    onNotice: (message) => (audited ||= message.includes('watching its events')),
  });
  try {
    const wait = async (condition: () => boolean): Promise<void> => {
      const started = Date.now();
      while (!condition()) {
        if (Date.now() - started > 120_000) throw new Error('timed out');
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    };
    await wait(() => audited);
    // A few events first, so lazily loaded code is loaded.
    const measure = async (from: number, count: number): Promise<number> => {
      const before = process.cpuUsage();
      for (let index = from; index < from + count; index += 1) {
        const name = `p${index}`;
        daemon.set({ name, privileged: true });
        daemon.event('container', 'create', name);
        await wait(() => changes.some((change) => change.finding.ruleId === 'DA505' && change.finding.subject.id === idOf(name)));
      }
      const used = process.cpuUsage(before);
      return (used.user + used.system) / 1000 / count;
    };
    await measure(0, 5);
    return await measure(5, events);
  } finally {
    await handle.stop();
    await daemon.close();
    rmSync(hostRoot, { recursive: true, force: true });
  }
}

describe('watch per-event work', () => {
  it('does not grow with the number of containers on the host (600 against 2400)', async () => {
    const small = await cpuPerEvent(600, 30);
    const large = await cpuPerEvent(2400, 30);
    console.log(`watch: CPU per container event: ${small.toFixed(2)} ms with 600 containers, ${large.toFixed(2)} ms with 2400 (${(large / small).toFixed(2)}x)`);
    expect(large / small).toBeLessThan(1.75);
  }, 300_000);
});
