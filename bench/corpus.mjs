/**
 * The public-corpus case of `npm run bench`: `dockaudit lint test/corpus` as a whole process,
 * timed (best and median of RUNS) next to the start-up every run pays (`dockaudit --version`,
 * the baseline measured in the same run), and its findings scored against the inline labels of
 * test/corpus (see test/corpus/README.md): precision and recall per rule family, the figures
 * test/rules/public-corpus.test.ts holds at 0.95.
 *
 * BENCH_CORPUS_FULL=DIR also lints DIR (for instance checked-out copies of the repositories the
 * corpus was sampled from) and prints its time per file as a ratio to the sample's.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = new URL('..', import.meta.url).pathname;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const REPORTED = new Set(['fail', 'warn', 'manual', 'error']);
const FAMILIES = ['dockerfile', 'container', 'compose'];
const DOCKERFILE = /^(Dockerfile(\..+)?|.+\.Dockerfile|Containerfile)$/;
const COMPOSE = /\.ya?ml$/;

function run(args, cwd = ROOT) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/dockaudit'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 || code === 1 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new Error(`dockaudit ${args.join(' ')} exited ${code}`))));
  });
}

async function timed(runs, fn) {
  const times = [];
  let value;
  for (let index = 0; index < runs; index += 1) {
    const start = performance.now();
    value = await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { best: times[0], median: times[Math.floor(times.length / 2)], value };
}

function filesUnder(directory) {
  const found = [];
  const walk = (current) => {
    for (const entry of readdirSync(current).sort()) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (DOCKERFILE.test(entry) || COMPOSE.test(entry)) found.push(path);
    }
  };
  walk(directory);
  return found;
}

function nextContentLine(lines, from) {
  let target = from;
  while (target < lines.length && (lines[target].trim() === '' || lines[target].trim().startsWith('#'))) target += 1;
  return target + 1;
}

/** The labels of one file, as test/corpus-support/public-corpus.ts reads them. */
function labelsOf(path) {
  const display = relative(ROOT, path).split(sep).join('/');
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const dockerfile = DOCKERFILE.test(path.slice(path.lastIndexOf(sep) + 1));
  const labels = [];
  lines.forEach((text, index) => {
    const match = dockerfile ? /^\s*#\s*expect(-file)?:\s*(.*)$/.exec(text) : /#\s*expect:\s*([A-Z0-9][A-Z0-9,\s]*)$/.exec(text);
    if (!match) return;
    const rules = (dockerfile ? match[2] : match[1]).split(/[\s,]+/).filter(Boolean);
    const target = dockerfile && match[1] === '-file' ? 'file' : !dockerfile && !text.trim().startsWith('#') ? index + 1 : nextContentLine(lines, index + 1);
    for (const rule of rules) labels.push(`${display}:${target} ${rule}`);
  });
  return labels;
}

function familyOf(rule) {
  return rule.startsWith('DA8') ? 'dockerfile' : rule.startsWith('DA9') ? 'compose' : 'container';
}

function missingFrom(a, b) {
  const left = new Map();
  for (const item of b) left.set(item, (left.get(item) ?? 0) + 1);
  return a.filter((item) => {
    const count = left.get(item) ?? 0;
    if (count === 0) return true;
    left.set(item, count - 1);
    return false;
  });
}

function scoreOf(labels, findings) {
  const reported = findings
    .filter((finding) => REPORTED.has(finding.status) && FAMILIES.includes(finding.family))
    .map((finding) => [finding.family === 'dockerfile' ? finding.subject?.name : finding.location?.file, finding])
    .filter(([file]) => typeof file === 'string' && file.startsWith('test/corpus/'))
    .map(([file, finding]) => `${file}:${finding.location?.line ?? 'file'} ${finding.ruleId}`);
  const tallies = Object.fromEntries(FAMILIES.map((family) => [family, { tp: 0, fp: 0, fn: 0 }]));
  const misses = missingFrom(labels, reported);
  const falseAlarms = missingFrom(reported, labels);
  const family = (key) => tallies[familyOf(key.slice(key.lastIndexOf(' ') + 1))];
  for (const key of missingFrom(labels, misses)) family(key).tp += 1;
  for (const key of misses) family(key).fn += 1;
  for (const key of falseAlarms) family(key).fp += 1;
  return tallies;
}

export async function runCorpusBench() {
  const files = filesUnder(join(ROOT, 'test/corpus'));
  const labels = files.flatMap(labelsOf);
  const startup = await timed(RUNS, () => run(['--version']));
  const sample = await timed(RUNS, () => run(['lint', 'test/corpus', '--format', 'json']));
  const tallies = scoreOf(labels, JSON.parse(sample.value).findings);
  console.log(`\npublic corpus: ${files.length} files (test/corpus), ${labels.length} labels`);
  for (const family of FAMILIES) {
    const { tp, fp, fn } = tallies[family];
    const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
    console.log(`  ${family.padEnd(10)} precision ${precision.toFixed(3)}  recall ${recall.toFixed(3)}  (tp ${tp}, fp ${fp}, fn ${fn})`);
  }
  console.log(
    `  lint of the sample as a process: best ${sample.best.toFixed(0)} ms, median ${sample.median.toFixed(0)} ms of ${RUNS}; ` +
      `start-up alone (dockaudit --version): ${startup.best.toFixed(0)} ms; the lint is ${(sample.best / startup.best).toFixed(2)}x start-up`,
  );
  const full = process.env.BENCH_CORPUS_FULL;
  if (full) {
    const count = filesUnder(full).length;
    const whole = await timed(Math.min(RUNS, 3), () => run(['lint', full, '--format', 'json', '--output', '/dev/null']));
    const perFile = whole.best / Math.max(1, count);
    const samplePerFile = sample.best / Math.max(1, files.length);
    console.log(
      `  lint of ${full} (${count} Dockerfiles and Compose files): best ${whole.best.toFixed(0)} ms, median ${whole.median.toFixed(0)} ms; ` +
        `${perFile.toFixed(2)} ms per file, ${(perFile / samplePerFile).toFixed(2)}x the sample's per file`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runCorpusBench();
