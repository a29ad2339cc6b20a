/**
 * The latency of `dockaudit watch` on a host with many containers (part of `npm run bench`).
 *
 * With the scale bench's containers in place (BENCH_WATCH_SIZE, default 500, a quarter running),
 * it starts `node bin/dockaudit watch --no-baseline --format json` as a whole process, waits for
 * its first full audit, then measures:
 *   idle CPU - the watch's own CPU time (utime + stime from /proc) over BENCH_WATCH_IDLE_S
 *              seconds (default 10) of a quiet daemon, as a share of one core;
 *   latency  - BENCH_WATCH_EVENTS (default 100) privileged containers created one after the other
 *              (`POST /containers/create` with Privileged, as `docker create --privileged` sends),
 *              each one's latency taken from the event's own timestamp (`trigger.timeNano` of the
 *              change line) to the moment its DA505 line reaches the bench through the watch's
 *              stdout; p50, p95 and max. Target: p95 under 1 s.
 * The created containers carry the bench's labels, so the bench's clean-up removes them.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { IMAGES } from '../scripts/testbed/images.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TICKS_PER_SECOND = 100;

function cpuSeconds(pid) {
  // Fields 14 and 15 of /proc/PID/stat (after the command name in parentheses): utime, stime in ticks.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

function percentile(sorted, share) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

/**
 * Runs the watch latency bench; `helpers` are the scale bench's: `ensureBenchContainers(size)`,
 * `api(method, path, body)` and the labels its containers carry.
 */
export async function runWatchBench({ ensureBenchContainers, api, labels, isStopping }) {
  const size = Number(process.env.BENCH_WATCH_SIZE ?? 500);
  const events = Number(process.env.BENCH_WATCH_EVENTS ?? 100);
  const idleSeconds = Number(process.env.BENCH_WATCH_IDLE_S ?? 10);
  const { bench, running } = await ensureBenchContainers(size);
  const total = (await api('GET', '/containers/json?all=1')).length;
  console.log(`\nwatch: ${bench} bench containers (${running} running), ${total} on the daemon`);

  const child = spawn(process.execPath, ['bin/dockaudit', 'watch', '--no-baseline', '--format', 'json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const arrivals = new Map();
  let stderr = '';
  let pending = '';
  child.stdout.on('data', (chunk) => {
    const receivedAt = Date.now();
    pending += chunk.toString();
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const change = JSON.parse(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
      if (change.event === 'new' && change.finding.ruleId === 'DA505' && change.trigger.type === 'container') {
        arrivals.set(change.finding.subject.id, receivedAt - Number(BigInt(change.trigger.timeNano) / 1_000_000n));
      }
    }
  });
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on('close', resolve));
  try {
    const auditStart = performance.now();
    while (!stderr.includes('watching its events')) {
      if (child.exitCode !== null) throw new Error(`watch ended: ${stderr.trim()}`);
      if (performance.now() - auditStart > 600_000) throw new Error(`watch did not finish its first audit: ${stderr.trim()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    console.log(`watch: first full audit done in ${((performance.now() - auditStart) / 1000).toFixed(1)} s (process start included)`);

    // Let the daemon settle, then measure idle CPU.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const cpuBefore = cpuSeconds(child.pid);
    const idleStart = performance.now();
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    const idleCpu = cpuSeconds(child.pid) - cpuBefore;
    const idleWall = (performance.now() - idleStart) / 1000;
    console.log(`watch: idle CPU ${(idleCpu * 1000).toFixed(0)} ms over ${idleWall.toFixed(1)} s = ${((idleCpu / idleWall) * 100).toFixed(2)} % of one core`);

    const ids = [];
    const cpuEventsBefore = cpuSeconds(child.pid);
    for (let index = 0; index < events && !isStopping(); index += 1) {
      const { Id } = await api('POST', '/containers/create', {
        Image: IMAGES.busybox,
        Cmd: ['sleep', '1'],
        Labels: labels,
        HostConfig: { Privileged: true, NetworkMode: 'none', LogConfig: { Type: 'none' } },
      });
      ids.push(Id);
      // One event at a time: each is measured alone, as a user's `docker create` would be.
      const waitStart = performance.now();
      while (!arrivals.has(Id) && performance.now() - waitStart < 30_000) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const cpuEvents = cpuSeconds(child.pid) - cpuEventsBefore;
    const latencies = ids.map((id) => arrivals.get(id)).filter((value) => value !== undefined).sort((a, b) => a - b);
    const missed = ids.length - latencies.length;
    if (latencies.length === 0) throw new Error(`no DA505 line came back; stderr: ${stderr.trim()}`);
    const p95 = percentile(latencies, 0.95);
    console.log(
      `watch: docker create --privileged -> DA505 line on stdout, over ${latencies.length} events${missed ? ` (${missed} not reported within 30 s)` : ''}: ` +
        `p50 ${percentile(latencies, 0.5)} ms, p95 ${p95} ms, max ${latencies.at(-1)} ms (target p95 < 1000 ms: ${p95 < 1000 && missed === 0 ? 'met' : 'NOT met'}); ` +
        `watch CPU ${((cpuEvents * 1000) / Math.max(1, ids.length)).toFixed(1)} ms per event`,
    );
    return { p50: percentile(latencies, 0.5), p95, max: latencies.at(-1), idleCpuShare: idleCpu / idleWall, missed };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
