/**
 * The event stream reader: lines split anywhere across chunks, a line over its cap or not JSON
 * ends the reading with a typed error, and the time grows linearly with the bytes read.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EngineApiError } from '../../src/collect/docker-api.js';
import { readEvents, type EngineEvent } from '../../src/collect/events.js';

const LINE = '{"Type":"container","Action":"exec_create: sh -c x","Actor":{"ID":"abc","Attributes":{"name":"web"}},"time":1700000000,"timeNano":1700000000123456789}\n';

async function read(chunks: (string | Buffer)[], maxLineBytes?: number): Promise<EngineEvent[]> {
  const events: EngineEvent[] = [];
  for await (const event of readEvents(Readable.from(chunks.map((chunk) => Buffer.from(chunk))), maxLineBytes)) events.push(event);
  return events;
}

describe('readEvents', () => {
  it('reads events split at every byte, and several in one chunk', async () => {
    const text = `${LINE}\n${LINE}`;
    const byByte = await read([...text]);
    const whole = await read([text]);
    expect(byByte).toEqual(whole);
    expect(whole).toEqual([
      { type: 'container', action: 'exec_create', id: 'abc', timeNano: 1700000000123456789n },
      { type: 'container', action: 'exec_create', id: 'abc', timeNano: 1700000000123456789n },
    ]);
  });

  it('keeps the container of a network event and the name of an image event', async () => {
    expect(await read(['{"Type":"network","Action":"connect","Actor":{"ID":"n1","Attributes":{"container":"c1","name":"bridge"}},"timeNano":5}\n'])).toEqual([{ type: 'network', action: 'connect', id: 'n1', timeNano: 5n, container: 'c1' }]);
    expect(await read(['{"Type":"image","Action":"untag","Actor":{"ID":"sha256:1","Attributes":{"name":"app:1"}},"timeNano":6}\n'])).toEqual([{ type: 'image', action: 'untag', id: 'sha256:1', timeNano: 6n, name: 'app:1' }]);
  });

  it('takes the time in seconds when timeNano is missing', async () => {
    expect(await read(['{"Type":"daemon","Action":"reload","Actor":{"ID":"d"},"time":12}\n'])).toEqual([{ type: 'daemon', action: 'reload', id: 'd', timeNano: 12_000_000_000n }]);
  });

  it('refuses a line longer than the cap, even one that never ends', async () => {
    await expect(read(['{"Type":"', 'x'.repeat(600)], 512)).rejects.toMatchObject({ limit: 'size' });
    await expect(read([`${'x'.repeat(600)}\n`], 512)).rejects.toBeInstanceOf(EngineApiError);
  });

  it('refuses a line that is not a JSON object', async () => {
    await expect(read(['not json\n'])).rejects.toThrow(/not JSON/);
    await expect(read(['42\n'])).rejects.toThrow(/not a JSON object/);
  });

  it('takes time linear in the bytes read, however the lines are cut', async () => {
    const measure = async (count: number): Promise<number> => {
      const chunks = Array.from({ length: count }, () => LINE.slice(0, 50)).flatMap((head) => [head, LINE.slice(50)]);
      let best = Infinity;
      for (let run = 0; run < 3; run += 1) {
        const started = process.cpuUsage();
        await read(chunks);
        const used = process.cpuUsage(started);
        best = Math.min(best, used.user + used.system);
      }
      return best;
    };
    await measure(2_000);
    const small = await measure(5_000);
    const large = await measure(20_000);
    expect(large / small).toBeLessThan(8);
  });
});
