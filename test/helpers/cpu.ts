/**
 * CPU time of a piece of work for the growth tests: the least of `runs` runs, in milliseconds. CPU
 * rather than wall time, and the least rather than one run, because a busy machine stretches both
 * wall time and single runs, never the work itself.
 */
export function bestCpuMs(work: () => unknown, runs = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run += 1) {
    const start = process.cpuUsage();
    work();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}
