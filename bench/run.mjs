/**
 * `npm run bench`: how long a full audit takes next to what users already know and the bare
 * minimum any auditor must do, on a daemon with real running containers.
 *
 * For each size N it makes sure N bench containers exist (labelled dockaudit.bench=1, busybox
 * `sleep`, no network, no logs), a quarter of them running (BENCH_RUNNING, a fraction), then
 * times, best of RUNS:
 *   docker inspect - `docker inspect $(docker ps -aq)` as a whole process: the baseline users know;
 *   raw   - list every container and inspect each one over the Engine API's unix socket, in this
 *           process (node http, 16 requests in flight): the floor for reading container state;
 *   audit - `node bin/dockaudit audit --format json --output /dev/null` as a whole process
 *           (start-up, collection of daemon, containers and their processes, images, networks,
 *           host files, rules, report), with its phases (DOCKAUDIT_TIMING=1) and peak RSS;
 *   audit, top - the same with DOCKAUDIT_PROCESSES=api: one `top` per running container, as
 *           before the processes were read from /proc (BENCH_API_PROCESSES=0 skips it);
 *   start-up - `node bin/dockaudit --version`, the fixed cost every run pays;
 *   collect  - `dockaudit snapshot -o FILE`: start-up plus collection, no rules;
 *   evaluate - `dockaudit audit --snapshot FILE`: start-up plus rules and the JSON report, no Docker.
 * Target: the audit within 2x `docker inspect` at every N. Everything the bench created is
 * removed at the end, also when something fails or the run is interrupted (SIGINT, SIGTERM);
 * its containers carry its PID (dockaudit.bench.run), so it removes only its own and those of
 * runs no longer alive.
 *
 * At N = BENCH_WATCH_SIZE (500), the latency of `dockaudit watch` from a privileged container's
 * create event to its DA505 line, and the watch's idle CPU (bench/watch.mjs; BENCH_WATCH=0 skips it).
 *
 * Then the lint, public-corpus, image, vulnerability and hostile-input cases (bench/lint.mjs,
 * corpus.mjs, image.mjs, vulns.mjs, hostile.mjs); the public-corpus case also runs alone:
 * `node bench/corpus.mjs`.
 *
 * Environment: BENCH_SCALE=100,500,1000 (sizes; BENCH_SIZES is the older name)  BENCH_RUNS=3
 * BENCH_RUNNING=0.25  DOCKER_HOST=unix:///path (default socket); BENCH_LINT=0, BENCH_IMAGES=0,
 * BENCH_CORPUS=0, BENCH_VULNS=0, BENCH_WATCH=0, BENCH_HOSTILE=0, BENCH_API_PROCESSES=0 skip those
 * cases (BENCH_CORPUS_FULL=DIR also lints DIR beside the public corpus) (the hostile section includes
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
import { runVulnBench } from './vulns.mjs';
import { runWatchBench } from './watch.mjs';
import { runCorpusBench } from './corpus.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SIZES = (process.env.BENCH_SCALE ?? process.env.BENCH_SIZES ?? '100,500,1000').split(',').map(Number).filter((n) => n > 0);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const RUNNING_SHARE = Math.min(1, Math.max(0, Number(process.env.BENCH_RUNNING ?? 0.25)));
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

/** This run's containers carry its PID too, so two benches on one daemon do not remove each other's. */
const RUN_LABEL = `dockaudit.bench.run=${process.pid}`;
const runFilter = encodeURIComponent(JSON.stringify({ label: [RUN_LABEL] }));
const labelFilter = encodeURIComponent(JSON.stringify({ label: [LABEL] }));

/** A container already gone, or being removed by someone else, is not an error here. */
function ignoreGone(error) {
  if (!/HTTP (404|409)\b/.test(error.message)) throw error;
}

/** The bench containers of this run, running or not. */
async function benchContainers() {
  const list = await api('GET', `/containers/json?all=1&filters=${runFilter}`);
  return list.map((entry) => ({ id: entry.Id, running: entry.State === 'running' }));
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Bench containers a run that is no longer alive left behind. */
async function removeLeftovers() {
  const list = await api('GET', `/containers/json?all=1&filters=${labelFilter}`);
  const orphans = list.filter((entry) => {
    const run = Number(entry.Labels?.['dockaudit.bench.run']);
    return !Number.isInteger(run) || run <= 0 || !alive(run);
  });
  await mapLimit(orphans, 8, (entry) => api('DELETE', `/containers/${entry.Id}?force=1&v=1`).catch(ignoreGone));
  return orphans.length;
}

/** Set once the run is interrupted: nothing more is created or started. */
let stopping = false;

async function createBenchContainers(count) {
  const labels = Object.fromEntries([LABEL, RUN_LABEL].map((label) => label.split('=')));
  await mapLimit(Array.from({ length: count }), 8, async () => {
    if (stopping) return;
    await api('POST', '/containers/create', {
      Image: IMAGES.busybox,
      Cmd: ['sleep', '86400'],
      Labels: labels,
      // No network namespace wiring nor log files: the bench measures the audit, not the daemon.
      HostConfig: { NetworkMode: 'none', LogConfig: { Type: 'none' }, Memory: 16 * 1024 * 1024 },
    });
  });
}

async function startBenchContainers(ids) {
  await mapLimit(ids, 8, async (id) => {
    if (!stopping) await api('POST', `/containers/${id}/start`);
  });
}

async function removeBenchContainers() {
  const ids = (await benchContainers()).map((entry) => entry.id);
  await mapLimit(ids, 8, (id) => api('DELETE', `/containers/${id}?force=1&v=1`).catch(ignoreGone));
  return ids.length;
}

/** N bench containers, at least RUNNING_SHARE of them running. */
async function ensureBenchContainers(size) {
  const existing = await benchContainers();
  await createBenchContainers(Math.max(0, size - existing.length));
  const all = await benchContainers();
  const running = all.filter((entry) => entry.running).length;
  const wanted = Math.ceil(size * RUNNING_SHARE);
  await startBenchContainers(all.filter((entry) => !entry.running).slice(0, Math.max(0, wanted - running)).map((entry) => entry.id));
  const after = await benchContainers();
  return { bench: after.length, running: after.filter((entry) => entry.running).length };
}

/** The floor: list all containers, inspect each one. */
async function rawFetch() {
  const list = await api('GET', '/containers/json?all=1');
  // Other users of the daemon may remove their containers meanwhile.
  await mapLimit(list, CONCURRENCY, (entry) => api('GET', `/containers/${entry.Id}/json`).catch(ignoreGone));
  return list.length;
}

/** What users know: `docker inspect $(docker ps -aq)`, the docker CLI as whole processes. */
const runDockerInspect = () => runToEnd('sh', ['-c', 'docker inspect $(docker ps -aq) >/dev/null'], ROOT);

const AUDIT_ARGS = ['--format', 'json', '--output', '/dev/null'];

// Loaded before the CLI in the child: reports the child's own peak RSS on fd 3 as it exits.
const REPORT_USAGE = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs'; process.on('exit', () => { try { writeSync(3, JSON.stringify(process.resourceUsage())); } catch {} });",
)}`;

/**
 * Runs the CLI as a whole process; `ok` says which exit codes count as a complete run. Resolves
 * with its `dockaudit timing:` lines and peak RSS in KiB.
 */
function runCli(args, ok, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', REPORT_USAGE, 'bin/dockaudit', ...args], {
      cwd: ROOT,
      env: { ...process.env, DOCKAUDIT_TIMING: '1', ...env },
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let usage = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdio[3].on('data', (chunk) => (usage += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (!ok.includes(code)) return reject(new Error(`dockaudit exited ${code}: ${stderr.trim().split('\n').find((line) => !line.startsWith('dockaudit timing:')) ?? ''}`));
      let maxRssKb;
      try {
        maxRssKb = JSON.parse(usage).maxRSS;
      } catch {
        maxRssKb = undefined;
      }
      const phases = stderr
        .split('\n')
        .filter((line) => line.startsWith('dockaudit timing:'))
        .map((line) => line.slice('dockaudit timing: '.length));
      resolve({ phases, maxRssKb });
    });
  });
}

/** Best wall time of `runs` calls, with what the fastest call resolved to. */
async function bestOf(runs, fn) {
  let best = { ms: Infinity, value: undefined };
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    const value = await fn();
    const ms = performance.now() - start;
    if (ms < best.ms) best = { ms, value };
  }
  return best;
}

/** Best of `runs` for each case, the cases run one after the other in each round. */
async function inTurns(runs, cases) {
  const best = Object.fromEntries(Object.keys(cases).map((name) => [name, { ms: Infinity, value: undefined }]));
  for (let run = 0; run < runs && !stopping; run += 1) {
    for (const [name, fn] of Object.entries(cases)) {
      const one = await bestOf(1, fn);
      if (one.ms < best[name].ms) best[name] = one;
    }
  }
  return best;
}

// 0 and 1 are both complete audits (1: findings at or above --fail-on); 2 is not.
const runAudit = (env) => runCli(['audit', ...AUDIT_ARGS], [0, 1], env);
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
    'running',
    'docker inspect (ms)',
    'raw fetch (ms)',
    'audit (ms)',
    'audit - start-up',
    'audit/inspect',
    `within ${TARGET_RATIO}x`,
    'audit, top (ms)',
    'peak RSS (MB)',
    'collect (ms)',
    'evaluate (ms)',
  ];
  const body = rows.map((row) => [
    String(row.size),
    String(row.total),
    String(row.running),
    row.inspect.toFixed(0),
    row.raw.toFixed(0),
    row.audit.toFixed(0),
    (row.audit - startup).toFixed(0),
    `${(row.audit / row.inspect).toFixed(2)}x`,
    row.audit / row.inspect <= TARGET_RATIO ? 'yes' : 'no',
    row.auditTop === undefined ? '-' : row.auditTop.toFixed(0),
    row.rssKb === undefined ? '?' : (row.rssKb / 1024).toFixed(0),
    row.collect.toFixed(0),
    row.evaluate.toFixed(0),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => cells[column].length)));
  const line = (cells) => cells.map((cell, column) => cell.padStart(widths[column])).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}

const WATCH_SIZE = Number(process.env.BENCH_WATCH_SIZE ?? 500);

/** The watch latency bench on this run's containers (bench/watch.mjs). */
function watchBench() {
  const labels = Object.fromEntries([LABEL, RUN_LABEL].map((label) => label.split('=')));
  return runWatchBench({ ensureBenchContainers, api, labels, isStopping: () => stopping });
}

async function main() {
  const daemon = await daemonStatus();
  if (!daemon.ok) throw new Error(`the bench needs a running Docker daemon: ${daemon.reason}`);
  if (!existsSync(new URL('../dist/cli/main.js', import.meta.url))) {
    throw new Error('dist/cli/main.js is missing: run `npm run build` first');
  }
  await buildTestImages();
  const leftover = await removeLeftovers();
  if (leftover) console.log(`removed ${leftover} bench containers an earlier run left behind`);

  const startup = (await bestOf(RUNS, runStartup)).ms;
  const bareNode = (await bestOf(RUNS, runBareNode)).ms;
  console.log(`start-up (dockaudit --version as a process): ${startup.toFixed(0)} ms; node -e 0: ${bareNode.toFixed(0)} ms (best of ${RUNS})`);
  console.log(`load average: ${loadavg().map((value) => value.toFixed(2)).join(' ')} on ${availableParallelism()} CPUs`);
  const rows = [];
  for (const size of [...SIZES].sort((a, b) => a - b)) {
    if (stopping) break;
    const createStart = performance.now();
    const { bench, running } = await ensureBenchContainers(size);
    const createMs = performance.now() - createStart;
    const total = await rawFetch();
    const runningTotal = (await api('GET', '/containers/json')).length;
    console.log(`N=${size}: ${bench} bench containers (${running} running) ready in ${(createMs / 1000).toFixed(1)} s; ${total} on the daemon, ${runningTotal} running`);
    // In turns, so a load that comes and goes on a shared machine weighs on each alike.
    const turns = await inTurns(RUNS, {
      inspect: runDockerInspect,
      raw: rawFetch,
      audit: () => runAudit(),
      ...(process.env.BENCH_API_PROCESSES === '0' ? {} : { auditTop: () => runAudit({ DOCKAUDIT_PROCESSES: 'api' }) }),
    });
    const inspect = turns.inspect.ms;
    const raw = turns.raw.ms;
    const audit = turns.audit;
    const auditTop = turns.auditTop?.ms;
    const collect = (await bestOf(RUNS, runCollect)).ms;
    const evaluate = (await bestOf(RUNS, runEvaluate)).ms;
    console.log(
      `N=${size}: docker inspect ${inspect.toFixed(0)} ms, raw ${raw.toFixed(0)} ms, audit ${audit.ms.toFixed(0)} ms` +
        `${auditTop === undefined ? '' : ` (with one top per running container: ${auditTop.toFixed(0)} ms)`}, collect ${collect.toFixed(0)} ms, evaluate ${evaluate.toFixed(0)} ms (best of ${RUNS})`,
    );
    console.log(`N=${size}: audit phases (fastest run): ${audit.value.phases.join(', ')}`);
    rows.push({ size, total, running: runningTotal, inspect, raw, audit: audit.ms, auditTop, rssKb: audit.value.maxRssKb, collect, evaluate });
    if (size === WATCH_SIZE && process.env.BENCH_WATCH !== '0' && !stopping) await watchBench();
  }
  if (!SIZES.includes(WATCH_SIZE) && process.env.BENCH_WATCH !== '0' && !stopping) await watchBench();
  console.log(`\n${table(rows, startup)}\n`);
  for (const row of rows) {
    // Any auditor run as a process pays node's own start on top of the raw fetch.
    const floor = bareNode + row.raw;
    console.log(`N=${row.size}: node start + raw fetch = ${floor.toFixed(0)} ms (${(floor / row.raw).toFixed(2)}x raw) before any rule runs; audit is ${(row.audit / floor).toFixed(2)}x that`);
  }
  if (stopping) return;
  if (process.env.BENCH_LINT !== '0') await runLintBench();
  if (process.env.BENCH_CORPUS !== '0') await runCorpusBench();
  if (process.env.BENCH_IMAGES !== '0') await runImageBench();
  if (process.env.BENCH_VULNS !== '0') await runVulnBench();
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
  const benchMs = (await bestOf(1, () => runToEnd('sh', [dockerBench], dirname(dockerBench)))).ms;
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
  stopping = true;
  rmSync(SNAPSHOT_FILE, { force: true });
  cleaning ??= removeBenchContainers().then(
    (count) => count && console.log(`removed ${count} bench containers`),
    (error) => console.error(`could not remove the bench containers: ${error.message}`),
  );
  return cleaning;
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.once(signal, () => {
    void cleanup()
      // A create already sent when the signal came may land after the first sweep.
      .then(() => new Promise((resolve) => setTimeout(resolve, 500)))
      .then(() => removeBenchContainers())
      .catch(() => undefined)
      .finally(() => process.exit(code));
  });
}

try {
  await main();
} catch (error) {
  // Once interrupted, what was in flight fails as its containers go: that is not news.
  if (!stopping) {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
} finally {
  await cleanup();
}
