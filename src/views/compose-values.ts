/**
 * Compose's short and long syntaxes read into the workload's terms: ports, volumes, tmpfs,
 * devices, ulimits, sizes, CPU counts, restart policies and healthchecks.
 */
import type { WorkloadDevice, WorkloadMount, WorkloadPort, WorkloadUlimit } from './workload.js';
import { listOrDict } from '../parsers/compose/merge.js';
import { textOf, valueOf, type ComposeNode } from '../parsers/compose/tree.js';

/** Ranges longer than this are kept as one entry rather than expanded port by port. */
const MAX_EXPANDED_RANGE = 256;

function range(text: string): { start: number; end: number } | undefined {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = match[2] === undefined ? start : Number(match[2]);
  return end >= start ? { start, end } : undefined;
}

function expand(
  container: { start: number; end: number },
  host: { start: number; end: number } | undefined,
  protocol: string,
  hostIp: string,
): WorkloadPort[] {
  const count = container.end - container.start + 1;
  const hostCount = host ? host.end - host.start + 1 : 0;
  if (count === 1 || count > MAX_EXPANDED_RANGE) {
    return [
      {
        containerPort: container.start,
        protocol,
        hostIp,
        ...(host ? { hostPort: host.start } : {}),
        ...(host && host.end !== host.start ? { hostPortEnd: host.end } : {}),
      },
    ];
  }
  return Array.from({ length: count }, (_, index) => ({
    containerPort: container.start + index,
    protocol,
    hostIp,
    ...(host ? (hostCount === count ? { hostPort: host.start + index } : { hostPort: host.start, ...(host.end !== host.start ? { hostPortEnd: host.end } : {}) }) : {}),
  }));
}

/** `[ip:][host:]container[/protocol]`, split as Docker splits it (IPv6 addresses bare or in brackets). */
export function parseShortPort(spec: string): WorkloadPort[] {
  const slash = spec.lastIndexOf('/');
  const protocol = slash === -1 ? 'tcp' : spec.slice(slash + 1).toLowerCase() || 'tcp';
  const mapping = slash === -1 ? spec : spec.slice(0, slash);
  const parts = mapping.split(':');
  const containerText = parts.at(-1) ?? '';
  let hostText = '';
  let ip = '';
  if (parts.length === 2) hostText = parts[0] ?? '';
  else if (parts.length >= 3) {
    hostText = parts.at(-2) ?? '';
    ip = parts.slice(0, -2).join(':');
  }
  ip = ip.replace(/^\[(.*)\]$/, '$1');
  const container = range(containerText);
  if (!container) return [];
  return expand(container, hostText === '' ? undefined : range(hostText), protocol, ip);
}

/** One `ports` entry, short or long. */
export function parsePort(node: ComposeNode): WorkloadPort[] {
  if (node.kind === 'scalar') return node.value === null ? [] : parseShortPort(String(node.value));
  if (node.kind !== 'map') return [];
  const container = range(textOf(valueOf(node, 'target')));
  if (!container) return [];
  const published = textOf(valueOf(node, 'published'));
  const protocol = (textOf(valueOf(node, 'protocol')) || 'tcp').toLowerCase();
  return expand(container, published === '' ? undefined : range(published), protocol, textOf(valueOf(node, 'host_ip')));
}

const PROPAGATION = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);

function isHostPath(source: string): boolean {
  return /^[./~]/.test(source) || /^[A-Za-z]:[\\/]/.test(source) || source.startsWith('\\\\');
}

/** One `volumes` entry, short (`src:dst:ro`) or long. */
export function parseVolume(node: ComposeNode): WorkloadMount | undefined {
  if (node.kind === 'map') {
    const type = (textOf(valueOf(node, 'type')) || 'volume') as WorkloadMount['type'];
    const propagation = textOf(valueOf(valueOf(node, 'bind'), 'propagation'));
    const readOnly = valueOf(node, 'read_only');
    return {
      type,
      source: textOf(valueOf(node, 'source')),
      target: textOf(valueOf(node, 'target')),
      readOnly: readOnly?.kind === 'scalar' && (readOnly.value === true || readOnly.value === 'true'),
      ...(propagation ? { propagation } : {}),
    };
  }
  if (node.kind !== 'scalar' || node.value === null) return undefined;
  let text = String(node.value);
  // A Windows drive letter is part of the source, not a separator.
  const drive = /^[A-Za-z]:[\\/]/.test(text) ? text.slice(0, 2) : '';
  text = text.slice(drive.length);
  const parts = text.split(':');
  if (parts.length === 1) return { type: 'volume', source: '', target: drive + (parts[0] ?? ''), readOnly: false };
  const source = drive + (parts[0] ?? '');
  const options = (parts[2] ?? '').split(',').filter(Boolean);
  const propagation = options.find((option) => PROPAGATION.has(option));
  return {
    type: isHostPath(source) ? 'bind' : 'volume',
    source,
    target: parts[1] ?? '',
    readOnly: options.includes('ro') || options.includes('readonly'),
    ...(propagation ? { propagation } : {}),
  };
}

/** `tmpfs` entries (`/run`, `/tmp:size=64m`). */
export function parseTmpfs(node: ComposeNode | undefined): WorkloadMount[] {
  if (node === undefined) return [];
  const items = node.kind === 'seq' ? node.items : [node];
  return items.flatMap((item) => {
    const target = textOf(item).split(':')[0] ?? '';
    return target ? [{ type: 'tmpfs' as const, source: '', target, readOnly: false }] : [];
  });
}

/** `devices` entries (`/dev/fuse`, `/dev/sda:/dev/xvda:rwm`, or long form). */
export function parseDevice(node: ComposeNode): WorkloadDevice | undefined {
  if (node.kind === 'map') {
    const hostPath = textOf(valueOf(node, 'source'));
    return hostPath ? { hostPath, containerPath: textOf(valueOf(node, 'target')) || hostPath, permissions: textOf(valueOf(node, 'permissions')) || 'rwm' } : undefined;
  }
  const text = textOf(node);
  if (!text) return undefined;
  const [hostPath = '', containerPath, permissions] = text.split(':');
  if (containerPath !== undefined && /^[rwm]+$/.test(containerPath) && permissions === undefined) {
    return { hostPath, containerPath: hostPath, permissions: containerPath };
  }
  return { hostPath, containerPath: containerPath || hostPath, permissions: permissions || 'rwm' };
}

function integer(node: ComposeNode | undefined): number | undefined {
  if (node?.kind !== 'scalar' || node.value === null || node.value === '') return undefined;
  const value = Number(node.value);
  return Number.isFinite(value) ? Math.trunc(value) : undefined;
}

/** `ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 512}`. */
export function parseUlimits(node: ComposeNode | undefined): WorkloadUlimit[] {
  if (node?.kind !== 'map') return [];
  return [...node.entries.values()].flatMap((entry) => {
    const single = integer(entry.value);
    if (single !== undefined) return [{ name: entry.key, soft: single, hard: single }];
    const soft = integer(valueOf(entry.value, 'soft'));
    const hard = integer(valueOf(entry.value, 'hard'));
    return soft === undefined && hard === undefined ? [] : [{ name: entry.key, soft: soft ?? hard ?? 0, hard: hard ?? soft ?? 0 }];
  });
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** A memory size in bytes (`512m`, `1.5g`, `1024`, `2GiB`); -1 stays -1; undefined when absent or unreadable. */
export function parseBytes(node: ComposeNode | undefined): number | undefined {
  if (node?.kind !== 'scalar' || node.value === null) return undefined;
  if (typeof node.value === 'number') return node.value;
  const match = /^(-?\d+(?:\.\d+)?)\s*([kmgtp]?)(?:i?b)?$/i.exec(String(node.value).trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  if (amount === -1) return -1;
  return Math.round(amount * (UNITS[(match[2] ?? '').toLowerCase()] ?? 1));
}

/** A number (`cpus: 0.5`, `pids_limit: "100"`); undefined when absent or unreadable. */
export function parseNumber(node: ComposeNode | undefined): number | undefined {
  if (node?.kind !== 'scalar' || node.value === null || node.value === '') return undefined;
  const value = Number(node.value);
  return Number.isFinite(value) ? value : undefined;
}

/** A boolean as Compose reads it (`true`, `"true"`). */
export function parseBoolean(node: ComposeNode | undefined): boolean {
  return node?.kind === 'scalar' && (node.value === true || (typeof node.value === 'string' && node.value.toLowerCase() === 'true'));
}

/** A list of strings, from a sequence or a single string. */
export function parseStrings(node: ComposeNode | undefined): string[] {
  if (node === undefined) return [];
  const items = node.kind === 'seq' ? node.items : [node];
  return items.map(textOf).filter((text) => text !== '');
}

/** `restart:` (`no`, `always`, `unless-stopped`, `on-failure[:N]`). */
export function parseRestart(text: string): { name: string; maximumRetryCount: number } {
  const [name = 'no', retries] = text.split(':');
  return { name: name || 'no', maximumRetryCount: retries === undefined ? 0 : Number.parseInt(retries, 10) || 0 };
}

/** `deploy.restart_policy`, which `docker compose` applies when `restart:` is not set. */
export function parseRestartPolicy(node: ComposeNode): { name: string; maximumRetryCount: number } {
  const condition = textOf(valueOf(node, 'condition')) || 'any';
  const names: Record<string, string> = { none: 'no', 'on-failure': 'on-failure', any: 'always', always: 'always', 'unless-stopped': 'unless-stopped' };
  return { name: names[condition] ?? condition, maximumRetryCount: integer(valueOf(node, 'max_attempts')) ?? 0 };
}

/** The healthcheck test of a `healthcheck:` block; undefined when the block only tunes the image's. */
export function parseHealthcheckTest(node: ComposeNode | undefined): string[] | undefined {
  if (node?.kind !== 'map') return undefined;
  if (parseBoolean(valueOf(node, 'disable'))) return ['NONE'];
  const test = valueOf(node, 'test');
  if (test === undefined) return undefined;
  if (test.kind === 'scalar') return test.value === null || test.value === '' ? undefined : ['CMD-SHELL', String(test.value)];
  return parseStrings(test);
}

/** A `list_or_dict` as a record of strings (values never reach a finding unless a rule says so). */
export function parseRecord(node: ComposeNode | undefined): Record<string, string> {
  const map = listOrDict(node);
  const record: Record<string, string> = {};
  for (const [key, entry] of map?.entries ?? []) record[key] = textOf(entry.value);
  return record;
}
