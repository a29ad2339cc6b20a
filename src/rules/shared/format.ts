/**
 * Small helpers shared by rules of several families: how a size or a published port reads in a
 * message, and what a host address means.
 */
import type { WorkloadPort } from '../../views/workload.js';

/** `268435456` -> `256 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/** A port mapping as `docker ps` shows it: `0.0.0.0:8080->80/tcp`, `[::1]:random->53/udp`. */
export function describePort(port: WorkloadPort): string {
  const bracketed = port.hostIp.includes(':') && !port.hostIp.startsWith('[');
  const address = port.hostIp === '' ? '0.0.0.0' : bracketed ? `[${port.hostIp}]` : port.hostIp;
  const host =
    port.hostPort === undefined ? 'random' : port.hostPortEnd !== undefined ? `${port.hostPort}-${port.hostPortEnd}` : `${port.hostPort}`;
  return `${address}:${host}->${port.containerPort}/${port.protocol}`;
}

/** Whether a host address only accepts connections from the host itself. */
export function isLoopback(hostIp: string): boolean {
  return /^127\./.test(hostIp) || hostIp === '::1' || hostIp === 'localhost' || /^::ffff:127\./i.test(hostIp);
}

/** Port mappings listed one by one in a message; the rest are counted. */
export const PORTS_LISTED = 20;

/**
 * Port mappings for a message: runs of consecutive ports (the same address and protocol, host
 * and container ports both one higher) collapsed into one range, `0.0.0.0:8000-9000->8000-9000/tcp`,
 * at most PORTS_LISTED of them and a count of the others; `none` when there are none. A Compose
 * range of a thousand ports reads as one entry, not a thousand.
 */
export function describePorts(ports: readonly WorkloadPort[]): string {
  if (ports.length === 0) return 'none';
  const runs: { first: WorkloadPort; last: WorkloadPort }[] = [];
  for (const port of ports) {
    const run = runs.at(-1);
    const previous = run?.last;
    const follows =
      previous !== undefined &&
      previous.hostPortEnd === undefined &&
      port.hostPortEnd === undefined &&
      port.hostIp === previous.hostIp &&
      port.protocol === previous.protocol &&
      port.containerPort === previous.containerPort + 1 &&
      (port.hostPort === undefined ? previous.hostPort === undefined : previous.hostPort !== undefined && port.hostPort === previous.hostPort + 1);
    if (run !== undefined && follows) run.last = port;
    else runs.push({ first: port, last: port });
  }
  const shown = runs.slice(0, PORTS_LISTED).map(({ first, last }) => {
    if (first === last) return describePort(first);
    const single = describePort({ ...first, ...(first.hostPort !== undefined && last.hostPort !== undefined ? { hostPort: first.hostPort, hostPortEnd: last.hostPort } : {}) });
    // `addr:8000-9000->8000/tcp` becomes `addr:8000-9000->8000-9000/tcp`.
    return single.replace(/->(\d+)\//, `->${first.containerPort}-${last.containerPort}/`);
  });
  const more = runs.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? `, and ${more} more` : ''}`;
}
