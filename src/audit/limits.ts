/**
 * Bounds as people write them: the requests to a daemon, from the config file and the flags
 * (which win): `--max-response-bytes`, `--request-timeout`, `--target-timeout`; and the caps of
 * image scans: `--max-layer-entries`, `--max-layer-bytes`, `--max-image-bytes`, `--max-layers`,
 * `--max-layer-file-bytes`.
 */
import type { ScanLimits } from '../collect/image/limits.js';
import type { Limits } from '../engine/config.js';
import { STATUSES, type Status } from '../rules/types.js';
import { FILE_SIZE_LIMITS } from '../snapshot/files.js';
import { UsageError } from '../errors.js';

export interface LimitFlags {
  maxResponseBytes?: string;
  requestTimeout?: string;
  targetTimeout?: string;
}

/** What the collection receives: bytes and milliseconds, each absent when left to its default. */
export interface RequestLimits {
  maxResponseBytes?: number;
  requestTimeoutMs?: number;
  targetTimeoutMs?: number;
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1 << 10, kib: 1 << 10, m: 1 << 20, mib: 1 << 20, g: 1 << 30, gib: 1 << 30 };
const TIME_UNITS: Record<string, number> = { '': 1000, s: 1000, ms: 1, m: 60_000 };

/** `1048576`, `512KiB`, `64MiB`, `1G`: units are powers of 1024. */
export function parseSize(value: string, flag: string): number {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(value.trim());
  const unit = SIZE_UNITS[match?.[2]?.toLowerCase() ?? 'none'];
  const bytes = match && unit !== undefined ? Number(match[1]) * unit : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new UsageError(`${flag} must be a size in bytes such as 1048576, 512KiB or 64MiB, got ${value}`);
  return bytes;
}

/** Seconds by default (`30`, `0.5`), or with a unit: `500ms`, `30s`, `5m`. */
export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = TIME_UNITS[match?.[2]?.toLowerCase() ?? 'none'];
  const milliseconds = match && unit !== undefined ? Math.round(Number(match[1]) * unit) : Number.NaN;
  if (!Number.isFinite(milliseconds) || milliseconds < 1) throw new UsageError(`${flag} must be a duration such as 30 (seconds), 500ms or 5m, got ${value}`);
  return milliseconds;
}

/** The effective bounds: flags over the config file's `limits`, over the defaults. */
export function requestLimits(flags: LimitFlags, config: Limits = {}): RequestLimits {
  const bytes = flags.maxResponseBytes !== undefined ? parseSize(flags.maxResponseBytes, '--max-response-bytes') : config.maxResponseBytes;
  const request = flags.requestTimeout !== undefined ? parseDuration(flags.requestTimeout, '--request-timeout') : seconds(config.requestTimeout);
  const target = flags.targetTimeout !== undefined ? parseDuration(flags.targetTimeout, '--target-timeout') : seconds(config.targetTimeout);
  return {
    ...(bytes !== undefined ? { maxResponseBytes: bytes } : {}),
    ...(request !== undefined ? { requestTimeoutMs: request } : {}),
    ...(target !== undefined ? { targetTimeoutMs: target } : {}),
  };
}

function seconds(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.max(1, Math.round(value * 1000));
}

/** A whole number above 0: `5000`. */
export function parseCount(value: string, flag: string): number {
  const count = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(count) || count < 1) throw new UsageError(`${flag} must be a whole number above 0, got ${value}`);
  return count;
}

/** The image scan caps as flags (`--max-layer-entries 5000000`, `--max-layer-bytes 16GiB`); unset ones keep their default. */
export interface ScanLimitFlags {
  maxLayerEntries?: string;
  maxLayerBytes?: string;
  maxImageBytes?: string;
  maxLayers?: string;
  maxLayerFileBytes?: string;
}

/** The scan caps the flags set, leaving out those they do not. */
export function scanLimitsOf(flags: ScanLimitFlags): Partial<ScanLimits> {
  return {
    ...(flags.maxLayerEntries !== undefined ? { layerEntries: parseCount(flags.maxLayerEntries, '--max-layer-entries') } : {}),
    ...(flags.maxLayerBytes !== undefined ? { layerBytes: parseSize(flags.maxLayerBytes, '--max-layer-bytes') } : {}),
    ...(flags.maxImageBytes !== undefined ? { imageBytes: parseSize(flags.maxImageBytes, '--max-image-bytes') } : {}),
    ...(flags.maxLayers !== undefined ? { layers: parseCount(flags.maxLayers, '--max-layers') } : {}),
    ...(flags.maxLayerFileBytes !== undefined ? { fileBytes: parseSize(flags.maxLayerFileBytes, '--max-layer-file-bytes') } : {}),
  };
}

/** `--concurrency`: parallel Engine API requests, 1 to 256. */
export function parseConcurrency(value: string): number {
  const parsed = Number.parseInt(value, 10);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 256) throw new UsageError(`--concurrency must be between 1 and 256, got ${value}`);
  return parsed;
}

/** `--max-file-bytes`: a size (`512k`, `4MiB`) up to the ceiling the parsers themselves hold. */
export function parseFileBytes(value: string): number {
  const ceiling = FILE_SIZE_LIMITS.ceilingBytes;
  let bytes: number;
  try {
    bytes = parseSize(value, '--max-file-bytes');
  } catch {
    bytes = Number.NaN;
  }
  if (!(bytes <= ceiling)) throw new UsageError(`--max-file-bytes must be a number of bytes from 1 to ${ceiling} (suffixes k and m allowed), got ${value}`);
  return bytes;
}

/** `--target-concurrency`: daemons audited at once, 1 to 64. */
export function parseTargetConcurrency(value: string): number {
  const parsed = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < 1 || parsed > 64) throw new UsageError(`--target-concurrency must be between 1 and 64, got ${value}`);
  return parsed;
}

/** `host:port`, `:port` (every interface) or `port` (127.0.0.1): where `--metrics` listens. */
export function parseListenAddress(value: string): { host: string | undefined; port: number } {
  const match = /^(?:(\[[0-9a-fA-F:]+\]|[^:]*):)?(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[2]);
  if (!match || port > 65535) throw new UsageError(`--metrics must be HOST:PORT, :PORT or PORT, got ${value}`);
  const host = match[1] === undefined ? '127.0.0.1' : match[1] === '' ? undefined : match[1].replace(/^\[|\]$/g, '');
  return { host, port };
}

/** `fail,warn,error` → the statuses, each checked. */
export function parseStatuses(value: string): Status[] {
  const statuses = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const status of statuses) if (!(STATUSES as readonly string[]).includes(status)) throw new UsageError(`--status takes ${STATUSES.join(', ')}; got ${status}`);
  if (statuses.length === 0) throw new UsageError('--status needs at least one status');
  return statuses as Status[];
}

/**
 * The request bounds of a collection: those the options give, over the config file's `limits`,
 * over the defaults (left absent here, for the client to fill in).
 */
export function requestBounds(options: RequestLimits, limits: Limits | undefined): RequestLimits {
  return {
    ...requestLimits({}, limits),
    ...(options.maxResponseBytes !== undefined ? { maxResponseBytes: options.maxResponseBytes } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(options.targetTimeoutMs !== undefined ? { targetTimeoutMs: options.targetTimeoutMs } : {}),
  };
}
