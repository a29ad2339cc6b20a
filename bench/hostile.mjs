/**
 * The hostile-input case of `npm run bench`: the largest inputs an attacker can hand the
 * readers, each linted by one whole `dockaudit` process, with its wall time and peak RSS.
 *
 * A case is { name, files: { 'relative/path': content }, args?(directory) }; `files` are written
 * to a fresh directory and `args` (default: lint it, JSON to /dev/null) are given to the CLI.
 * Other cases (image archives…) are passed to runHostileBench as `extraCases`.
 *
 * Environment: BENCH_HOSTILE=0 skips it; BENCH_HOSTILE_TIMEOUT=seconds per case (default 600).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const TIMEOUT_MS = Number(process.env.BENCH_HOSTILE_TIMEOUT ?? 600) * 1000;

// Loaded before the CLI in the child: reports the child's own peak RSS on fd 3 as it exits.
const REPORT_USAGE = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs'; process.on('exit', () => { try { writeSync(3, JSON.stringify(process.resourceUsage())); } catch {} });",
)}`;

const lines = (count, line) => Array.from({ length: count }, (_, index) => line(index)).join('');

/** The built-in cases: Dockerfiles and Compose files. */
export const HOSTILE_CASES = [
  { name: 'Dockerfile, RUN of c|sh; (125 KB)', files: { Dockerfile: `FROM debian:12\nRUN ${'c|sh;'.repeat(25_000)}true\n` } },
  { name: 'Dockerfile, RUN of c|sh; (1 MB)', files: { Dockerfile: `FROM debian:12\nRUN ${'c|sh;'.repeat(200_000)}true\n` } },
  { name: 'Dockerfile, one pipeline of 100k stages', files: { Dockerfile: `FROM debian:12\nRUN ${'curl x|sh|'.repeat(50_000)}sh\n` } },
  { name: 'Dockerfile, $( nested 100k deep', files: { Dockerfile: `FROM debian:12\nRUN ${'echo $('.repeat(100_000)}x${')'.repeat(100_000)}\n` } },
  { name: 'Dockerfile, heredoc shells nested 20k deep', files: { Dockerfile: `FROM debian:12\nRUN ${lines(20_000, (i) => `sh <<E${i}\n`)}x\n${lines(20_000, (i) => `E${19_999 - i}\n`)}` } },
  { name: 'Dockerfile, ENV doubling 40k times', files: { Dockerfile: `FROM debian:12\n${'ENV A=$A$A\n'.repeat(40_000)}` } },
  { name: 'Dockerfile, 20k stages each FROM the last', files: { Dockerfile: `FROM debian:12 AS s0\n${lines(20_000, (i) => `FROM s${i} AS s${i + 1}\nENV K${i}=v\n`)}` } },
  { name: 'Compose, 24k services', files: { 'compose.yaml': `services:\n${lines(24_000, (i) => `  s${i}: {image: a}\n`)}` } },
  { name: 'Compose, defaults nested 50k deep', files: { 'compose.yaml': `services:\n  web:\n    image: nginx:1.27\n    command: "${'${A:-'.repeat(50_000)}x${'}'.repeat(50_000)}"\n` } },
];

/** Runs the CLI once with `args`; resolves to its exit code, wall time and peak RSS. */
function runCli(args) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['--import', REPORT_USAGE, join(ROOT, 'bin/dockaudit'), ...args], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let usage = '';
    let stderr = '';
    child.stdio[3].on('data', (chunk) => (usage += chunk));
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-400)));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const milliseconds = performance.now() - start;
      let maxRssKb;
      try {
        maxRssKb = JSON.parse(usage).maxRSS;
      } catch {
        maxRssKb = undefined;
      }
      resolve({ code, signal, milliseconds, maxRssKb, stderr: stderr.trim().split('\n').at(-1) ?? '' });
    });
  });
}

/** Writes a case's files, runs it, removes them; one line per case. */
async function runCase(testCase) {
  const directory = mkdtempSync(join(tmpdir(), 'dockaudit-hostile-'));
  try {
    let bytes = 0;
    for (const [path, content] of Object.entries(testCase.files ?? {})) {
      mkdirSync(dirname(join(directory, path)), { recursive: true });
      writeFileSync(join(directory, path), content);
      bytes += Buffer.byteLength(content);
    }
    if (testCase.prepare) bytes += (await testCase.prepare(directory)) ?? 0;
    const args = testCase.args ? testCase.args(directory) : ['lint', directory, '--format', 'json', '--output', '/dev/null'];
    const result = await runCli(args);
    const ended = result.signal === 'SIGKILL' ? `killed after ${TIMEOUT_MS / 1000} s` : `exit ${result.code}`;
    const rss = result.maxRssKb === undefined ? '?' : `${(result.maxRssKb / 1024).toFixed(0)} MB`;
    console.log(`  ${testCase.name.padEnd(46)} ${(bytes / 1024).toFixed(0).padStart(6)} KB  ${(result.milliseconds / 1000).toFixed(2).padStart(7)} s  peak RSS ${rss.padStart(7)}  ${ended}${result.code === 2 ? ` (${result.stderr})` : ''}`);
    return { name: testCase.name, bytes, ...result };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Runs the built-in cases and `extraCases`, one process each, one after the other. */
export async function runHostileBench(extraCases = []) {
  console.log('\nhostile inputs (one dockaudit process each; time and peak RSS):');
  const results = [];
  for (const testCase of [...HOSTILE_CASES, ...extraCases]) results.push(await runCase(testCase));
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await runHostileBench();
