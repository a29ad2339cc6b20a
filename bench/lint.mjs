/**
 * The lint case of `npm run bench`: 1,000 Dockerfiles and 1,000 Compose files, copied from the
 * labelled corpora in test/fixtures, linted by one whole `dockaudit lint` process.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const COUNT = 1000;
const TARGET_MS = 2000;
const RUNS = 5;

function filesUnder(directory, keep) {
  return readdirSync(directory, { recursive: true })
    .map((name) => join(directory, name))
    .filter((path) => statSync(path).isFile() && keep(path));
}

/** Writes COUNT Dockerfiles and COUNT Compose files, one per directory, cycling over the corpora. */
function buildTree() {
  const tree = mkdtempSync(join(tmpdir(), 'dockaudit-lint-bench-'));
  const dockerfiles = filesUnder(join(ROOT, 'test/fixtures/dockerfile/corpus'), (path) => /Dockerfile/i.test(path));
  const composeFiles = filesUnder(join(ROOT, 'test/fixtures/compose/corpus'), (path) => /\.ya?ml$/.test(path));
  if (dockerfiles.length === 0 || composeFiles.length === 0) throw new Error('the fixture corpora are missing');
  for (let index = 0; index < COUNT; index += 1) {
    const directory = join(tree, `project-${String(index).padStart(4, '0')}`);
    mkdirSync(directory);
    cpSync(dockerfiles[index % dockerfiles.length], join(directory, 'Dockerfile'));
    cpSync(composeFiles[index % composeFiles.length], join(directory, 'compose.yaml'));
  }
  return tree;
}

function lint(tree, worker) {
  return new Promise((resolve, reject) => {
    // DOCKAUDIT_TIMING costs a few stderr lines and tells where the time went.
    const child = spawn(process.execPath, [join(ROOT, 'bin/dockaudit'), 'lint', tree, '--format', 'json', '--output', '/dev/null'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, DOCKAUDIT_TIMING: '1', DOCKAUDIT_WORKER: worker },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    const phases = () =>
      [...stderr.matchAll(/^dockaudit timing: (.+) (\d+) ms$/gm)].map((match) => `${match[1]} ${match[2]}`).join(', ');
    child.on('close', (code) => (code === 0 || code === 1 ? resolve(phases()) : reject(new Error(`dockaudit lint exited ${code}: ${stderr.trim().split('\n')[0]}`))));
  });
}

export async function runLintBench() {
  const tree = buildTree();
  try {
    // The default (the Dockerfile rules on a worker thread) and one thread, run in turns so a
    // slow minute of the machine weighs on both alike.
    const runs = { auto: [], off: [] };
    for (let run = 0; run < RUNS; run += 1) {
      for (const worker of ['auto', 'off']) {
        const start = performance.now();
        const phases = await lint(tree, worker);
        runs[worker].push({ time: performance.now() - start, phases });
      }
    }
    for (const list of Object.values(runs)) list.sort((a, b) => a.time - b.time);
    const [best, median] = [runs.auto[0].time, runs.auto[Math.floor(RUNS / 2)].time];
    console.log(
      `lint: ${COUNT} Dockerfiles + ${COUNT} Compose files in one process: best ${best.toFixed(0)} ms, median ${median.toFixed(0)} ms of ${RUNS}; target under ${TARGET_MS} ms: ${best < TARGET_MS ? 'yes' : 'no'} (median: ${median < TARGET_MS ? 'yes' : 'no'})`,
    );
    console.log(`lint: phases of the best run, in ms: ${runs.auto[0].phases}`);
    console.log(
      `lint: the same on one thread (DOCKAUDIT_WORKER=off): best ${runs.off[0].time.toFixed(0)} ms, median ${runs.off[Math.floor(RUNS / 2)].time.toFixed(0)} ms`,
    );
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runLintBench();
