/**
 * The image case of `npm run bench`: how fast `dockaudit image` scans an image's layers next
 * to merely reading the same export stream from the daemon, and how much memory it takes.
 *
 * For each image, best of RUNS, each in a fresh child process (so its peak RSS is its own):
 *   raw    - GET /images/{name}/get (what `docker save` reads), drained and counted;
 *   scan   - the same request through dockaudit's scanner (scanExport in dist/collect/image),
 *            every layer parsed, nothing cached;
 *   cached - `dockaudit image`'s path once the layers are in a cache directory: no export.
 * Each child also reports its CPU time, steadier than wall time on a busy machine.
 * Throughput is the export's bytes over the time; target: scan at least 70% of raw. Peak RSS
 * (process.resourceUsage().maxRSS) of the scan must not grow with the image: the bench images
 * are the Debian root filesystem (~200 MB, ~7000 files) and a generated image several times
 * larger (big files and many small ones).
 *
 * Run alone: `node bench/image.mjs` (after `npm run build`). Environment: BENCH_IMAGE_RUNS=5,
 * BENCH_IMAGE_MB=600 (size of the generated image), DOCKER_HOST=unix:///path.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { docker } from '../scripts/testbed/docker.mjs';
import { IMAGE_FIXTURES, ensureDebianImage } from '../scripts/testbed/image-fixtures.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist/collect/image');
/** More runs than the container bench: an export's speed varies with what else the machine does. */
const RUNS = Number(process.env.BENCH_IMAGE_RUNS ?? 5);
const LARGE_MB = Number(process.env.BENCH_IMAGE_MB ?? 600);
const LARGE_IMAGE = `da-bench/image-large:${LARGE_MB}`;
const TARGET = 0.7;

// --- child process side ----------------------------------------------------------------

async function worker(mode, reference, cacheDir) {
  const { createClient, resolveEndpoint } = await import(pathToFileURL(join(ROOT, 'dist/collect/endpoint.js')).href);
  const client = createClient(resolveEndpoint(undefined, process.env));
  // Modules are loaded before the clock starts, for both: the bench times reading, not start-up.
  const { scanDaemonImage, scanExport } = await import(pathToFileURL(join(DIST, 'daemon.js')).href);
  const { LayerCache } = await import(pathToFileURL(join(DIST, 'cache.js')).href);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let bytes = 0;
  if (mode === 'raw') {
    const stream = await client.getImage(reference).get();
    for await (const chunk of stream) bytes += chunk.length;
  } else if (mode === 'scan') {
    // The same request as raw, through the scanner: every layer parsed, nothing cached.
    const images = await scanExport(client, reference, reference, new LayerCache(), (_label, read) => {
      bytes = read;
    });
    if (images[0]?.layers.length === 0) throw new Error(`${reference}: no layer scanned`);
  } else {
    // `prime` fills the cache; `cached` is what `dockaudit image` does on a second run:
    // inspect, then every layer from the cache, no export.
    const scanned = await scanDaemonImage(client, reference, new LayerCache(cacheDir));
    if (mode === 'cached' && scanned.contents.cachedLayers.length === 0) throw new Error(`${reference}: nothing came from the cache`);
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(JSON.stringify({ ms, bytes, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS }));
}

// --- bench side ---------------------------------------------------------------------------

function child(mode, reference, cacheDir = '') {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, [fileURLToPath(import.meta.url), '--worker', mode, reference, cacheDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    process_.stdout.on('data', (chunk) => (out += chunk));
    process_.stderr.on('data', (chunk) => (err += chunk));
    process_.on('error', reject);
    process_.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${mode} ${reference} exited ${code}: ${err.trim()}`))));
  });
}

/** An image of about LARGE_MB: a few large files and many small ones, imported from a generated tar. */
async function ensureLargeImage() {
  try {
    await docker(['image', 'inspect', LARGE_IMAGE]);
    return;
  } catch {
    // Not there yet: build it.
  }
  const { pack } = await import('tar-stream');
  const { createWriteStream } = await import('node:fs');
  const { pipeline } = await import('node:stream/promises');
  const directory = await mkdtemp(join(tmpdir(), 'dockaudit-bench-image-'));
  try {
    const tarPath = join(directory, 'rootfs.tar');
    const archive = pack();
    const done = pipeline(archive, createWriteStream(tarPath));
    const chunk = randomBytes(1 << 20);
    const smallFiles = 20_000;
    const bigBytes = Math.max(1, LARGE_MB - Math.round((smallFiles * 4096) / 1e6)) * 1e6;
    const bigFiles = 4;
    for (let index = 0; index < bigFiles; index += 1) {
      const size = Math.floor(bigBytes / bigFiles);
      const entry = archive.entry({ name: `data/blob-${index}.bin`, size, mode: 0o644 });
      for (let written = 0; written < size; written += chunk.length) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - written));
        if (!entry.write(part)) await new Promise((resolve) => entry.once('drain', resolve));
      }
      entry.end();
      await new Promise((resolve) => entry.once('finish', resolve));
    }
    for (let index = 0; index < smallFiles; index += 1) {
      archive.entry({ name: `src/module-${Math.floor(index / 500)}/file-${index}.js`, mode: 0o644 }, chunk.subarray(index % 1000, (index % 1000) + 4096));
    }
    archive.finalize();
    await done;
    await docker(['import', tarPath, LARGE_IMAGE], { timeoutMs: 600_000 });
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** The fastest of some runs; peak RSS the highest any of them reached. */
function fastest(results) {
  const quickest = results.reduce((a, b) => (b.ms < a.ms ? b : a));
  return { ...quickest, maxRssKb: Math.max(...results.map((item) => item.maxRssKb)) };
}

const mbps = (bytes, ms) => bytes / 1e6 / (ms / 1000);

/** Runs the image bench and prints its table; returns whether every image met the target. */
export async function runImageBench() {
  if (!existsSync(join(DIST, 'daemon.js'))) throw new Error('dist/ is missing: run `npm run build` before the image bench');
  await ensureDebianImage();
  await ensureLargeImage();
  const rows = [];
  for (const reference of [IMAGE_FIXTURES.debian, LARGE_IMAGE]) {
    const raws = [];
    const scans = [];
    // Interleaved, so a busy moment of the machine weighs on both alike.
    for (let run = 0; run < RUNS; run += 1) {
      raws.push(await child('raw', reference));
      scans.push(await child('scan', reference));
    }
    const raw = fastest(raws);
    const scan = fastest(scans);
    const cacheDir = await mkdtemp(join(tmpdir(), 'dockaudit-bench-cache-'));
    try {
      await child('prime', reference, cacheDir);
      const cached = [];
      for (let run = 0; run < RUNS; run += 1) cached.push(await child('cached', reference, cacheDir));
      rows.push({ reference, bytes: raw.bytes, raw, scan, cached: fastest(cached) });
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  }
  const lines = [
    '| image | export | raw | scan | scan / raw | CPU raw / scan | scan peak RSS | cached re-scan |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.reference} | ${(row.bytes / 1e6).toFixed(0)} MB | ${mbps(row.bytes, row.raw.ms).toFixed(0)} MB/s | ${mbps(row.bytes, row.scan.ms).toFixed(0)} MB/s | ${(
          (row.raw.ms / row.scan.ms) * 100
        ).toFixed(0)}% | ${row.raw.cpuMs.toFixed(0)} / ${row.scan.cpuMs.toFixed(0)} ms | ${(row.scan.maxRssKb / 1024).toFixed(0)} MB | ${row.cached.ms.toFixed(0)} ms |`,
    ),
  ];
  console.log(`\nimage scan (best of ${RUNS}; target: scan at least ${TARGET * 100}% of raw throughput)\n${lines.join('\n')}\n`);
  return rows.every((row) => row.raw.ms / row.scan.ms >= TARGET);
}

if (process.argv[2] === '--worker') {
  await worker(process.argv[3], process.argv[4], process.argv[5]);
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const met = await runImageBench();
  if (!met) process.exitCode = 1;
}
