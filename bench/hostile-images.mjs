/**
 * Hostile images for `dockaudit image --archive`: the inputs an attacker would hand a scanner,
 * with the time and peak RSS each takes.
 *
 *   entries  - one gzip layer holding ENTRIES empty files (default 2,000,000)
 *   bomb     - one gzip layer decompressing to BOMB_GB gigabytes of zeros (default 2)
 *   layers   - an image of LAYERS tiny layers (default 10,000), scanned twice with one cache
 *              directory: the first run, then the cached re-run
 *
 * Each case runs `dockaudit image --archive` in a child process; a preload prints the child's
 * peak RSS (process.resourceUsage().maxRSS) when it exits. A case that hits one of the scan's
 * caps ends with exit code 2 and a finding naming the cap: that is the expected outcome.
 *
 * Run alone: `node bench/hostile-images.mjs [case…]` (after `npm run build`). Environment:
 * HOSTILE_BIN (the dockaudit to run, default bin/dockaudit of this checkout), HOSTILE_DIR (where
 * the archives are written, default a directory under the system temp), HOSTILE_ARGS (extra
 * arguments, e.g. `--max-layers 20000` to let the layers case run the whole scan),
 * ENTRIES, BOMB_GB, LAYERS.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = process.env.HOSTILE_BIN ?? join(ROOT, 'bin/dockaudit');
const ENTRIES = Number(process.env.ENTRIES ?? 2_000_000);
const BOMB_GB = Number(process.env.BOMB_GB ?? 2);
const LAYERS = Number(process.env.LAYERS ?? 10_000);
const EXTRA_ARGS = (process.env.HOSTILE_ARGS ?? '').split(/\s+/).filter((arg) => arg !== '');

// --- tar writing, by hand: fast enough for millions of entries -----------------------------

function octal(value, width) {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** One ustar header block. */
function header(name, size, type = '0') {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(0o644, 8), 100);
  block.write(octal(0, 8), 108);
  block.write(octal(0, 8), 116);
  block.write(octal(size, 12), 124);
  block.write(octal(1_750_000_000, 12), 136);
  block.write('        ', 148);
  block.write(type, 156);
  block.write('ustar\u000000', 257);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

function padding(size) {
  return Buffer.alloc((512 - (size % 512)) % 512);
}

const END = Buffer.alloc(1024);

/** A tar of files, given as [name, content] pairs, as one buffer. */
function smallTar(files) {
  const parts = [];
  for (const [name, content] of files) parts.push(header(name, content.length), content, padding(content.length));
  parts.push(END);
  return Buffer.concat(parts);
}

function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * An OCI-style `docker save` archive written to `path`: layers are blobs (each given as a
 * generator of chunks, with its digest and diff id computed as it is written), then the config,
 * the manifest and index.json.
 */
async function writeArchive(path, layers) {
  const out = createWriteStream(path);
  let failure;
  out.on('error', (error) => (failure = error));
  const write = async (chunk) => {
    if (failure) throw failure;
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
  };
  const blobs = [];
  for (const layer of layers) {
    // A layer's blob digest must be known before its header: write it to memory first when small,
    // else compute it in a first pass.
    const chunks = [];
    const digest = createHash('sha256');
    let size = 0;
    for await (const chunk of layer.gzip()) {
      digest.update(chunk);
      size += chunk.length;
      if (layer.small) chunks.push(chunk);
    }
    const hex = digest.digest('hex');
    await write(header(`blobs/sha256/${hex}`, size));
    if (layer.small) for (const chunk of chunks) await write(chunk);
    else for await (const chunk of layer.gzip()) await write(chunk);
    await write(padding(size));
    blobs.push({ hex, size, diffId: layer.diffId ?? `sha256:${hex}` });
  }
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: '2025-06-01T00:00:00Z',
      config: { User: 'app' },
      rootfs: { type: 'layers', diff_ids: blobs.map((blob) => blob.diffId) },
      history: blobs.map(() => ({ created: '2025-06-01T00:00:00Z', created_by: 'COPY . /' })),
    }),
  );
  const configHex = sha256(config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${configHex}`, size: config.length },
      layers: blobs.map((blob) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${blob.hex}`, size: blob.size })),
    }),
  );
  const manifestHex = sha256(manifest);
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${manifestHex}`, size: manifest.length, annotations: { 'io.containerd.image.name': 'hostile/image:1' } }],
    }),
  );
  for (const [name, content] of [
    [`blobs/sha256/${configHex}`, config],
    [`blobs/sha256/${manifestHex}`, manifest],
    ['index.json', index],
    ['oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}')],
  ]) {
    await write(header(name, content.length));
    await write(content);
    await write(padding(content.length));
  }
  await write(END);
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
}

/** Gzips what a generator yields. */
async function* gzipped(source) {
  const gzip = createGzip({ level: 1 });
  const chunks = [];
  let ended = false;
  let failure;
  let wake = () => undefined;
  gzip.on('data', (chunk) => {
    chunks.push(chunk);
    wake();
  });
  gzip.on('end', () => {
    ended = true;
    wake();
  });
  gzip.on('error', (error) => {
    failure = error;
    wake();
  });
  const feeding = (async () => {
    for await (const chunk of source()) if (!gzip.write(chunk)) await new Promise((resolve) => gzip.once('drain', resolve));
    gzip.end();
  })();
  for (;;) {
    while (chunks.length > 0) yield chunks.shift();
    if (failure) throw failure;
    if (ended) break;
    await new Promise((resolve) => (wake = resolve));
  }
  await feeding;
}

async function* manyEntries() {
  const batch = [];
  for (let index = 0; index < ENTRIES; index += 1) {
    batch.push(header(`d${Math.floor(index / 1000)}/f${index}`, 0));
    if (batch.length === 4096) yield Buffer.concat(batch.splice(0));
  }
  batch.push(END);
  yield Buffer.concat(batch);
}

async function* bomb() {
  const total = BOMB_GB * 1024 ** 3;
  yield header('zeros', total);
  const zeros = Buffer.alloc(1 << 20);
  for (let written = 0; written < total; written += zeros.length) yield zeros;
  yield END;
}

const CASES = {
  entries: async (path) => writeArchive(path, [{ gzip: () => gzipped(manyEntries) }]),
  bomb: async (path) => writeArchive(path, [{ gzip: () => gzipped(bomb) }]),
  layers: async (path) =>
    writeArchive(
      path,
      Array.from({ length: LAYERS }, (_, index) => {
        const tar = smallTar([[`layer${index}/file`, Buffer.from(`content ${index}\n`)]]);
        return { small: true, diffId: `sha256:${sha256(tar)}`, gzip: () => gzipped(async function* () { yield tar; }) };
      }),
    ),
};

// --- measuring ---------------------------------------------------------------------------

const PRELOAD = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\nHOSTILE_RSS '+process.resourceUsage().maxRSS+'\\n'))`;

function run(args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', PRELOAD, BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const rss = Number(/HOSTILE_RSS (\d+)/.exec(stderr)?.[1] ?? 0) / 1024;
      const message = stderr.replace(/\n?HOSTILE_RSS \d+\n?/, '').trim().split('\n')[0] ?? '';
      resolve({ code, seconds, rss, message });
    });
  });
}

function line(label, result) {
  return `${label.padEnd(22)} exit ${String(result.code).padEnd(3)} ${result.seconds.toFixed(1).padStart(7)} s ${result.rss.toFixed(0).padStart(6)} MB  ${result.message.slice(0, 100)}`;
}

export async function hostileImages(names = Object.keys(CASES)) {
  if (!existsSync(BIN)) throw new Error(`${BIN} not found: run npm run build first`);
  const directory = process.env.HOSTILE_DIR ?? (await mkdtemp(join(tmpdir(), 'dockaudit-hostile-')));
  await mkdir(directory, { recursive: true });
  const lines = [];
  try {
    for (const name of names) {
      const path = join(directory, `${name}-${name === 'entries' ? ENTRIES : name === 'bomb' ? BOMB_GB : LAYERS}.tar`);
      if (!existsSync(path)) await CASES[name](path);
      const cache = join(directory, `cache-${name}`);
      await rm(cache, { recursive: true, force: true });
      const args = ['image', '--archive', path, '--format', 'json', '-o', join(directory, `${name}.json`), '--cache-dir', cache, ...EXTRA_ARGS];
      lines.push(line(name, await run(args)));
      console.log(lines.at(-1));
      if (name === 'layers') {
        lines.push(line('layers (cached)', await run(args)));
        console.log(lines.at(-1));
      }
    }
  } finally {
    if (process.env.HOSTILE_DIR === undefined) await rm(directory, { recursive: true, force: true });
  }
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2);
  for (const name of names) if (!(name in CASES)) throw new Error(`unknown case ${name}; cases: ${Object.keys(CASES).join(', ')}`);
  await hostileImages(names.length > 0 ? names : undefined);
}
