/**
 * `npm run bench`: how long a full audit takes next to the bare minimum any auditor must do.
 *
 * For each size N it makes sure N bench containers exist (created, not started, labelled
 * dockaudit.bench=1), then times, best of RUNS:
 *   raw   - list every container and inspect each one over the Engine API's unix socket
 *           (node http, 16 requests in flight): the floor for reading container state;
 *   audit - `node bin/dockaudit --format json --output /dev/null` as a whole process
 *           (start-up, collection of daemon, containers, images, networks, rules, report);
 *   start-up - `node bin/dockaudit --version`, the fixed cost every run pays, shown so the
 *           ratio can be read as fixed cost plus per-container cost;
 *   collect  - `dockaudit snapshot -o FILE`: start-up plus collection, no rules;
 *   evaluate - `dockaudit audit --snapshot FILE`: start-up plus rules and the JSON report, no Docker.
 * Target: audit within 2x raw at N=500. The bench containers are removed at the end, also
 * when something fails or the run is interrupted.
 *
 * Then the lint, image and hostile-input cases (bench/lint.mjs, image.mjs, hostile.mjs).
 *
 * Environment: BENCH_SIZES=100,500  BENCH_RUNS=3  DOCKER_HOST=unix:///path (default socket);
 * BENCH_LINT=0, BENCH_IMAGES=0, BENCH_HOSTILE=0 skip those cases (the hostile section includes
 * bench/hostile-images.mjs, sized by ENTRIES, BOMB_GB and LAYERS).
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { existsSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { delimiter, dirname, join } from 'node:path';
import { buildTestImages, IMAGES } from '../scripts/testbed/images.mjs';
import { daemonStatus, mapLimit } from '../scripts/testbed/docker.mjs';
import { runImageBench } from './image.mjs';
import { runHostileBench } from './hostile.mjs';
import { runLintBench } from './lint.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SIZES = (process.env.BENCH_SIZES ?? '100,500').split(',').map(Number).filter((n) => n > 0);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CONCURRENCY = 16;
const LABEL = 'dockaudit.bench=1';
const TARGET_RATIO = 2;

function socketPath() {
  const host = process.env.DOCKER_HOST;
  if (!host) return '/var/run/docker.sock';
  if (host.startsWith('unix://')) return host.slice('unix://'.length);
  throw new Error(`the bench talks to a local unix socket; DOCKER_HOST=${host} is not one`);
}

const SOCKET = socketPath();

/** One Engine API call over the unix socket; resolves with the parsed JSON body. */
function api(method, path, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        socketPath: SOCKET,
        method,
        path,
        headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 300) {
            reject(new Error(`${method} ${path}: HTTP ${res.statusCode} ${text.trim()}`));
            return;
          }
          try {
            resolve(text ? JSON.parse(text) : undefined);
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const labelFilter = encodeURIComponent(JSON.stringify({ label: [LABEL] }));

async function benchContainerIds() {
  const list = await api('GET', `/containers/json?all=1&filters=${labelFilter}`);
  return list.map((entry) => entry.Id);
}

async function createBenchContainers(count) {
  const [key, value] = LABEL.split('=');
  await mapLimit(Array.from({ length: count }), 8, () =>
    api('POST', '/containers/create', { Image: IMAGES.busybox, Cmd: ['sleep', '1'], Labels: { [key]: value } }),
  );
}

async function removeBenchContainers() {
  const ids = await benchContainerIds();
  await mapLimit(ids, 8, (id) => api('DELETE', `/containers/${id}?force=1&v=1`));
  return ids.length;
}

/** The floor: list all containers, inspect each one. */
async function rawFetch() {
  const list = await api('GET', '/containers/json?all=1');
  await mapLimit(list, CONCURRENCY, (entry) => api('GET', `/containers/${entry.Id}/json`));
  return list.length;
}

const AUDIT_ARGS = ['--format', 'json', '--output', '/dev/null'];

/** Runs the CLI as a whole process; `ok` says which exit codes count as a complete run. */
function runCli(args, ok) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/dockaudit', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (ok.includes(code)) resolve();
      else reject(new Error(`dockaudit exited ${code}: ${stderr.trim().split('\n')[0] ?? ''}`));
    });
  });
}

async function bestOf(runs, fn) {
  let best = Infinity;
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    await fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

// 0 and 1 are both complete audits (1: findings at or above --fail-on); 2 is not.
const runAudit = () => runCli(AUDIT_ARGS, [0, 1]);
/** The fixed cost of any run: node, the CLI's imports, argument parsing. */
const runStartup = () => runCli(['--version'], [0]);
/** Node itself, starting and exiting with nothing to do: the least any auditor run as a process pays. */
const runBareNode = () => runToEnd(process.execPath, ['-e', '0'], ROOT);
const SNAPSHOT_FILE = join(tmpdir(), `dockaudit-bench-${process.pid}.json`);
const runCollect = () => runCli(['snapshot', '-o', SNAPSHOT_FILE], [0]);
const runEvaluate = () => runCli(['audit', '--snapshot', SNAPSHOT_FILE, ...AUDIT_ARGS], [0, 1]);

function table(rows, startup) {
  const header = [
    'N',
    'containers',
    'raw fetch (ms)',
    'audit (ms)',
    'audit - start-up',
    'collect (ms)',
    'evaluate (ms)',
    'audit/raw',
    `within ${TARGET_RATIO}x`,
  ];
  const body = rows.map((row) => [
    String(row.size),
    String(row.total),
    row.raw.toFixed(0),
    row.audit.toFixed(0),
    (row.audit - startup).toFixed(0),
    row.collect.toFixed(0),
    row.evaluate.toFixed(0),
    `${(row.audit / row.raw).toFixed(2)}x`,
    row.audit / row.raw <= TARGET_RATIO ? 'yes' : 'no',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => cells[column].length)));
  const line = (cells) => cells.map((cell, column) => cell.padStart(widths[column])).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}

async function main() {
  const daemon = await daemonStatus();
  if (!daemon.ok) throw new Error(`the bench needs a running Docker daemon: ${daemon.reason}`);
  if (!existsSync(new URL('../dist/cli/main.js', import.meta.url))) {
    throw new Error('dist/cli/main.js is missing: run `npm run build` first');
  }
  await buildTestImages();
  const leftover = await removeBenchContainers();
  if (leftover) console.log(`removed ${leftover} leftover bench containers`);

  const startup = await bestOf(RUNS, runStartup);
  const bareNode = await bestOf(RUNS, runBareNode);
  console.log(`start-up (dockaudit --version as a process): ${startup.toFixed(0)} ms; node -e 0: ${bareNode.toFixed(0)} ms (best of ${RUNS})`);
  console.log(`load average: ${loadavg().map((value) => value.toFixed(2)).join(' ')} on ${availableParallelism()} CPUs`);
  const rows = [];
  for (const size of [...SIZES].sort((a, b) => a - b)) {
    const existing = (await benchContainerIds()).length;
    const createStart = performance.now();
    await createBenchContainers(size - existing);
    const createMs = performance.now() - createStart;
    const total = await rawFetch();
    console.log(`N=${size}: created ${size - existing} containers in ${(createMs / 1000).toFixed(1)} s; ${total} on the daemon`);
    const raw = await bestOf(RUNS, rawFetch);
    const audit = await bestOf(RUNS, runAudit);
    const collect = await bestOf(RUNS, runCollect);
    const evaluate = await bestOf(RUNS, runEvaluate);
    console.log(
      `N=${size}: raw ${raw.toFixed(0)} ms, audit ${audit.toFixed(0)} ms, collect ${collect.toFixed(0)} ms, evaluate ${evaluate.toFixed(0)} ms (best of ${RUNS})`,
    );
    rows.push({ size, total, raw, audit, collect, evaluate });
  }
  console.log(`\n${table(rows, startup)}\n`);
  for (const row of rows) {
    // Any auditor run as a process pays node's own start on top of the raw fetch.
    const floor = bareNode + row.raw;
    console.log(`N=${row.size}: node start + raw fetch = ${floor.toFixed(0)} ms (${(floor / row.raw).toFixed(2)}x raw) before any rule runs; audit is ${(row.audit / floor).toFixed(2)}x that`);
  }
  if (process.env.BENCH_LINT !== '0') await runLintBench();
  if (process.env.BENCH_IMAGES !== '0') await runImageBench();
  if (process.env.BENCH_HOSTILE !== '0') {
    await runHostileBench();
    // Hostile images: millions of entries, a gzip bomb, thousands of layers (bench/hostile-images.mjs).
    console.log('\nhostile images (dockaudit image --archive; exit 2 with DA460 where a cap stopped the scan):');
    const { hostileImages } = await import('./hostile-images.mjs');
    await hostileImages();
  }
  const dockerBench = findOnPath(['docker-bench-security.sh', 'docker-bench-security']);
  if (!dockerBench) {
    console.log('docker-bench-security: not installed, skipped');
    return;
  }
  const benchMs = await bestOf(1, () => runToEnd('sh', [dockerBench], dirname(dockerBench)));
  console.log(`docker-bench-security (${dockerBench}) at N=${rows.at(-1)?.size}: ${benchMs.toFixed(0)} ms (one run)`);
}

function findOnPath(names) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of names) if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function runToEnd(command, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', () => resolve());
  });
}

let cleaning;
async function cleanup() {
  rmSync(SNAPSHOT_FILE, { force: true });
  cleaning ??= removeBenchContainers().then(
    (count) => count && console.log(`removed ${count} bench containers`),
    (error) => console.error(`could not remove the bench containers: ${error.message}`),
  );
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    void cleanup().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
