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
