import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scanArchiveStream } from '../../src/collect/image/archive.js';
import { LayerCache } from '../../src/collect/image/cache.js';
import { archiveSnapshot } from '../../src/collect/image/index.js';
import { scanLayer } from '../../src/collect/image/layer-scan.js';
import { DEFAULT_SCAN_LIMITS, ScanLimitError, type ScanLimits } from '../../src/collect/image/limits.js';
import { parseSize, scanLimitsOf } from '../../src/audit/limits.js';
import { dockerSaveOf, tarOf } from './image-tar.js';

function limits(overrides: Partial<ScanLimits>): ScanLimits {
  return { ...DEFAULT_SCAN_LIMITS, ...overrides };
}

/** A layer of `count` empty files, written as tar-stream packs them. */
function manyEntries(count: number): Promise<Buffer> {
  return tarOf(Array.from({ length: count }, (_, index) => ({ name: `d${index % 50}/f${index}`, content: '' })));
}

/** A tar stream that never ends: the same empty file's header, for as long as it is read. */
async function endlessLayer(): Promise<Readable> {
  const header = (await tarOf([{ name: 'again', content: '' }])).subarray(0, 512);
  const batch = Buffer.concat(Array.from({ length: 64 }, () => header));
  return new Readable({
    read() {
      this.push(batch);
    },
  });
}

async function rejection(promise: Promise<unknown>): Promise<ScanLimitError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ScanLimitError);
  return error as ScanLimitError;
}

describe('scan caps', () => {
  it('stops a layer at its entry cap, naming the layer and the cap', async () => {
    const error = await rejection(scanLayer(Readable.from([await manyEntries(5000)]), 'sha256:big', { limits: limits({ layerEntries: 1000 }) }));
    expect(error.fact).toMatchObject({ cap: 'layerEntries', limit: 1000, layer: 'sha256:big' });
    expect(error.message).toBe('the number of entries in layer sha256:big exceeds the cap of 1000 (--max-layer-entries); the image was not scanned');
  });

  it('stops a layer that never ends instead of reading it forever', async () => {
    const error = await rejection(scanLayer(await endlessLayer(), 'sha256:endless', { limits: limits({ layerEntries: 2000 }) }));
    expect(error.fact.cap).toBe('layerEntries');
  });

  it('stops a gzip bomb at the layer byte cap, before reading it to its end', async () => {
    const bomb = gzipSync(await tarOf([{ name: 'zeros', content: Buffer.alloc(4 << 20) }]));
    expect(bomb.length).toBeLessThan(64 << 10);
    const error = await rejection(scanLayer(Readable.from([bomb]), 'sha256:bomb', { limits: limits({ layerBytes: 1 << 20 }) }));
    expect(error.fact).toMatchObject({ cap: 'layerBytes', limit: 1 << 20, layer: 'sha256:bomb' });
    expect(error.message).toContain('exceeds the cap of 1 MiB (--max-layer-bytes)');
  });

  it('counts the decompressed bytes of all the layers of an image against its cap', async () => {
    const layers = [await tarOf([{ name: 'a', content: Buffer.alloc(600 << 10) }]), await tarOf([{ name: 'b', content: Buffer.alloc(600 << 10) }])];
    const { archive } = await dockerSaveOf(layers);
    const error = await rejection(scanArchiveStream(Readable.from([archive]), 'two.tar', new LayerCache(), { verify: true, limits: limits({ imageBytes: 1 << 20 }) }));
    expect(error.fact.cap).toBe('imageBytes');
    expect(error.message).toContain('exceeds the cap of 1 MiB (--max-image-bytes)');
  });

  it('stops an archive holding more layers than the cap', async () => {
    const layers = await Promise.all(Array.from({ length: 5 }, (_, index) => tarOf([{ name: `f${index}`, content: `${index}` }])));
    const { archive } = await dockerSaveOf(layers);
    const error = await rejection(scanArchiveStream(Readable.from([archive]), 'deep.tar', new LayerCache(), { verify: true, limits: limits({ layers: 3 }) }));
    expect(error.fact).toMatchObject({ cap: 'layers', limit: 3 });
  });

  it('stops at an /etc/passwd padded past its size: it must not read as "no accounts"', async () => {
    const padded = await tarOf([{ name: 'etc/passwd', content: `root:x:0:0::/root:/bin/sh\n${'#'.repeat(1 << 20)}` }]);
    const error = await rejection(scanLayer(Readable.from([padded]), 'sha256:padded'));
    expect(error.fact.cap).toBe('keptFile');
    expect(error.message).toContain('/etc/passwd');
  });

  it('turns a cap reached in an archive into an unscanned image carrying the cap, not a thrown error', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'dockaudit-limits-test-'));
    const path = join(directory, 'huge.tar');
    await writeFile(path, (await dockerSaveOf([await manyEntries(5000)])).archive);
    const snapshot = await archiveSnapshot(path, { cache: new LayerCache(), limits: limits({ layerEntries: 1000 }) });
    expect(snapshot.imageContents).toEqual([
      expect.objectContaining({ source: path, unavailable: true, limit: expect.objectContaining({ cap: 'layerEntries', limit: 1000 }) }),
    ]);
  });

  it('scans within the caps as before', async () => {
    const scan = await scanLayer(Readable.from([await manyEntries(1000)]), 'sha256:ok', { limits: limits({ layerEntries: 1000 }) });
    expect(scan.entries).toBe(1000);
  });
});

describe('cap flags', () => {
  it('reads sizes with units and counts, keeping defaults for what is not set', () => {
    expect(parseSize('8GiB', '--max-layer-bytes')).toBe(8 * 1024 ** 3);
    expect(parseSize('512k', '--max-layer-bytes')).toBe(512 * 1024);
    expect(parseSize('1000', '--max-layer-bytes')).toBe(1000);
    expect(() => parseSize('lots', '--max-layer-bytes')).toThrow(/--max-layer-bytes must be a size/);
    expect({ ...DEFAULT_SCAN_LIMITS, ...scanLimitsOf({ maxLayerEntries: '5000', maxLayers: '10' }) }).toEqual({ ...DEFAULT_SCAN_LIMITS, layerEntries: 5000, layers: 10 });
    expect(() => scanLimitsOf({ maxLayers: '0' })).toThrow(/--max-layers must be a whole number/);
  });
});
