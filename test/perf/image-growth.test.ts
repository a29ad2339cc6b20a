/**
 * Image scans and the image filesystem view grow linearly with the number of entries: a layer
 * (and an archive holding it) of n and 4n entries is scanned, and an image of n and 4n build
 * leftovers is placed, in process; the larger must not take more than 8 times the CPU time of
 * the smaller (best of several runs, after a warm-up). A quadratic step shows as 16x.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { scanArchiveStream } from '../../src/collect/image/archive.js';
import { LayerCache } from '../../src/collect/image/cache.js';
import { scanLayer } from '../../src/collect/image/layer-scan.js';
import type { ImageContents } from '../../src/snapshot/image-contents.js';
import { imageFilesystem } from '../../src/views/image-fs.js';
import { dockerSaveOf, tarOf, type TarEntry } from '../collect/image-tar.js';
import { layer, scannedImage } from '../rules/image/scan-builder.js';

/** CPU time (milliseconds) of the best of `runs` runs of `work`, each on a fresh input. */
async function cpuTime(work: () => Promise<unknown> | unknown, runs = 3): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run += 1) {
    const start = process.cpuUsage();
    await work();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

/**
 * The ratio of the CPU time at 4n to that at n, measured once more, longer, when over the
 * bound: noise only ever adds time, a growth worse than linear is over it both times.
 */
async function growth(name: string, small: () => Promise<unknown> | unknown, large: () => Promise<unknown> | unknown): Promise<number> {
  await cpuTime(small, 1);
  let smallTime = await cpuTime(small);
  let largeTime = await cpuTime(large);
  // Below a few milliseconds timer noise dominates; the floor keeps the ratio meaningful.
  let ratio = largeTime / Math.max(smallTime, 5);
  if (ratio >= 8) {
    smallTime = Math.min(smallTime, await cpuTime(small, 5));
    largeTime = Math.min(largeTime, await cpuTime(large, 5));
    ratio = largeTime / Math.max(smallTime, 5);
  }
  console.log(`${name}: ${smallTime.toFixed(1)} ms -> ${largeTime.toFixed(1)} ms (x${ratio.toFixed(1)})`);
  return ratio;
}

/** `count` groups of entries of every kind the scanner records something about. */
function layerEntries(count: number): TarEntry[] {
  return Array.from({ length: count }, (_, index): TarEntry[] => [
    { name: `srv/d${index}/`, type: 'directory' },
    { name: `srv/d${index}/file`, content: `export TOKEN=${index}\n` },
    { name: `srv/d${index}/.git/HEAD`, content: 'ref: refs/heads/main\n' },
    { name: `srv/d${index}/su`, mode: index % 10 === 0 ? 0o4755 : 0o755 },
    { name: `srv/d${index}/open`, mode: 0o777 },
    { name: `srv/d${index}/link`, type: 'symlink', linkname: '/etc/passwd' },
    { name: `srv/d${index}/hard`, type: 'link', linkname: `srv/d${index}/file` },
    { name: `srv/d${index}/.wh.gone` },
    { name: `var/cache/apt/archives/p${index}.deb`, content: 'deb' },
  ]).flat();
}

const LAYER_GROUPS = 500;
let layerTars: Promise<[Buffer, Buffer]> | undefined;

/** The layers of n and 4n groups, built once for both tests (building takes longer than scanning). */
function layers(): Promise<[Buffer, Buffer]> {
  layerTars ??= Promise.all([tarOf(layerEntries(LAYER_GROUPS)), tarOf(layerEntries(4 * LAYER_GROUPS))]);
  return layerTars;
}

describe('image scans grow linearly with the entries of a layer', () => {
  it('scanLayer: n and 4n entries of every kind', async () => {
    const [small, large] = await layers();
    const ratio = await growth(
      `scanLayer (${small.length} B -> ${large.length} B)`,
      () => scanLayer(Readable.from([small]), 'sha256:small'),
      () => scanLayer(Readable.from([large]), 'sha256:large'),
    );
    expect(ratio).toBeLessThan(8);
  }, 120_000);

  it('scanLayer: one deep path of n and 4n directories, beside a link out of the root', async () => {
    const deep = (depth: number) => tarOf([{ name: 'out', type: 'symlink', linkname: '/etc' }, { name: `${'a/'.repeat(depth)}f` }]);
    const [small, large] = await Promise.all([deep(20_000), deep(80_000)]);
    const ratio = await growth(
      `scanLayer, deep path (${small.length} B -> ${large.length} B)`,
      () => scanLayer(Readable.from([small]), 'sha256:small'),
      () => scanLayer(Readable.from([large]), 'sha256:large'),
    );
    expect(ratio).toBeLessThan(8);
  }, 120_000);

  it('scanArchiveStream: a docker save archive whose layer holds n and 4n entries', async () => {
    const [small, large] = await Promise.all((await layers()).map((tar) => dockerSaveOf([tar])));
    // A cache of its own each time, in memory: a cached layer would not be read again.
    const ratio = await growth(
      'scanArchiveStream',
      () => scanArchiveStream(Readable.from([small.archive]), 'small.tar', new LayerCache(), { verify: true }),
      () => scanArchiveStream(Readable.from([large.archive]), 'large.tar', new LayerCache(), { verify: true }),
    );
    expect(ratio).toBeLessThan(8);
  }, 120_000);
});

/**
 * An image whose base layer holds `count` repositories, each with a `.git` directory of a few
 * files (the builder adds `.git/file`), under 8 later layers; the last one deletes every `.git` file of the even repositories
 * (so those count as removed only once all their paths are looked at), and rewrites one file of
 * every third (so that one stays).
 */
function leftoverImage(count: number): () => ImageContents {
  const base = layer({
    entries: Array.from({ length: count }, (_, index) => [0, 1, 2, 3].map((file) => ({ path: `src/r${index}/.git/objects/o${file}` }))).flat(),
    leftovers: Array.from({ length: count }, (_, index) => ({ path: `src/r${index}/.git`, kind: 'git-directory', bytes: 400 })),
  });
  const middle = Array.from({ length: 7 }, (_, index) => layer({ entries: [{ path: `etc/m${index}` }] }));
  const top = layer({
    whiteouts: Array.from({ length: count }, (_, index) => (index % 2 === 0 ? [`src/r${index}/.git/file`, ...[0, 1, 2, 3].map((file) => `src/r${index}/.git/objects/o${file}`)] : [])).flat(),
    entries: Array.from({ length: count }, (_, index) => index).filter((index) => index % 3 === 0).map((index) => ({ path: `src/r${index}/.git/objects/o0` })),
  });
  // A new object each time: the view is remembered per image.
  return () => scannedImage([base, ...middle, top]);
}

describe('the image filesystem view grows linearly with the leftovers of a layer', () => {
  it('places n and 4n .git directories, each removed only when all its files are', async () => {
    const n = 1500;
    const small = leftoverImage(n);
    const large = leftoverImage(4 * n);
    const placed = imageFilesystem(small()).leftovers;
    // r0 is deleted file by file but rewritten in part; r2 deleted whole; r1 untouched.
    const state = (index: number) => placed.find((entry) => entry.fact.path === `src/r${index}/.git`)?.removedBy;
    expect([state(0), state(1), state(2), state(3)]).toEqual([undefined, undefined, { layer: 8, how: 'deleted' }, undefined]);
    const ratio = await growth(
      'placeLeftovers',
      () => imageFilesystem(small()),
      () => imageFilesystem(large()),
    );
    expect(ratio).toBeLessThan(8);
  }, 120_000);
});
