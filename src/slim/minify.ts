/**
 * Minifying an image: index its filesystem (one pass over an export stream, keeping only
 * headers and the first bytes of executables), decide which entries to keep (pure), then stream
 * a second export through a filter into the daemon's image import. Nothing holds the image.
 */
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { extract, pack } from 'tar-stream';
import { tarEntryType } from '../collect/tar-entry.js';

export interface IndexEntry {
  type: 'file' | 'directory' | 'symlink' | 'link' | 'other';
  /** Symlink target as stored, or for a hard link the absolute path of the file it shares. */
  linkname?: string;
  size: number;
  mode: number;
  /** The first bytes of executable regular files: for `#!` lines and ELF interpreters. */
  head?: Buffer;
}

/** The filesystem of an image, by absolute path without a trailing slash. */
export type FsIndex = Map<string, IndexEntry>;

const HEAD_BYTES = 4096;

/** `bin/sh`, `./bin/`, `/bin` → `/bin/sh`, `/bin`, `/bin`. */
export function normaliseEntryName(name: string): string {
  const trimmed = name.replace(/^\.?\/*/, '').replace(/\/+$/, '');
  return trimmed === '' ? '/' : posix.normalize(`/${trimmed}`);
}

/** Reads a tar stream into an index: headers, plus the first bytes of executable files. */
export function indexTar(stream: Readable): Promise<FsIndex> {
  return new Promise((resolve, reject) => {
    const index: FsIndex = new Map();
    const reader = extract();
    reader.on('entry', (header, body, next) => {
      const path = normaliseEntryName(header.name);
      const type = tarEntryType(header.type);
      const entry: IndexEntry = { type, size: header.size ?? 0, mode: header.mode ?? 0 };
      if (type === 'symlink' && header.linkname) entry.linkname = header.linkname;
      if (type === 'link' && header.linkname) entry.linkname = normaliseEntryName(header.linkname);
      index.set(path, entry);
      const wantHead = type === 'file' && (entry.mode & 0o111) !== 0 && entry.size > 0;
      const chunks: Buffer[] = [];
      let kept = 0;
      body.on('data', (data: unknown) => {
        const chunk = data as Buffer;
        if (!wantHead || kept >= HEAD_BYTES) return;
        const part = chunk.subarray(0, HEAD_BYTES - kept);
        chunks.push(part);
        kept += part.length;
      });
      body.on('end', () => {
        if (wantHead) entry.head = Buffer.concat(chunks);
        next();
      });
      body.on('error', reject);
    });
    reader.on('finish', () => resolve(index));
    reader.on('error', reject);
    stream.on('error', reject);
    stream.pipe(reader);
  });
}

/** The interpreter a `#!` line names, when `head` starts with one. */
export function shebangInterpreter(head: Buffer): string | undefined {
  if (head.length < 3 || head[0] !== 0x23 || head[1] !== 0x21) return undefined;
  const line = head.subarray(2, head.indexOf(0x0a) >= 0 ? head.indexOf(0x0a) : head.length).toString('utf8').trim();
  const interpreter = line.split(/\s+/)[0];
  return interpreter !== undefined && interpreter.startsWith('/') ? interpreter : undefined;
}

/** The program interpreter (PT_INTERP) of a 64-bit little-endian ELF file, when `head` holds it. */
export function elfInterpreter(head: Buffer): string | undefined {
  if (head.length < 64 || head.readUInt32BE(0) !== 0x7f454c46) return undefined;
  if (head[4] !== 2 || head[5] !== 1) return undefined; // 64-bit, little-endian only
  const phoff = Number(head.readBigUInt64LE(32));
  const phentsize = head.readUInt16LE(54);
  const phnum = head.readUInt16LE(56);
  for (let index = 0; index < phnum; index += 1) {
    const at = phoff + index * phentsize;
    if (at + 56 > head.length) return undefined;
    if (head.readUInt32LE(at) !== 3) continue; // PT_INTERP
    const offset = Number(head.readBigUInt64LE(at + 8));
    const size = Number(head.readBigUInt64LE(at + 32));
    if (offset + size > head.length) return undefined;
    return head.subarray(offset, offset + size).toString('utf8').replace(/\0+$/, '');
  }
  return undefined;
}

export interface KeepRequest {
  /** Paths the program touched (opened, executed, stat'ed, …): kept when they exist. */
  paths: Iterable<string>;
  /** Directories whose listing the program read: their direct entries are kept too. */
  listed?: Iterable<string>;
  /** Paths kept whole (a directory with everything under it), from --include. */
  include?: Iterable<string>;
}

export interface KeepPlan {
  /** Entries to keep, by normalised path. */
  keep: Set<string>;
  /** Requested --include paths that the image does not have. */
  missingIncludes: string[];
}

/** Paths the runtime mounts over; whatever the image has there is never used. */
const RUNTIME_MOUNTS = ['/proc', '/sys', '/dev'];

function underRuntimeMount(path: string): boolean {
  return RUNTIME_MOUNTS.some((mount) => path === mount || path.startsWith(`${mount}/`));
}

/**
 * Decides which entries to keep: every touched path that exists, each directory above it, every
 * symlink met on the way to it (and what it points to), the file a hard link shares, the `#!`
 * interpreter or ELF loader of kept executables, the direct entries of listed directories and
 * everything under --include paths.
 */
export function planKeep(index: FsIndex, request: KeepRequest): KeepPlan {
  const keep = new Set<string>(['/']);
  const queue: string[] = [];
  const visited = new Set<string>();

  const keepParents = (path: string) => {
    for (let parent = posix.dirname(path); parent !== '/' && !keep.has(parent); parent = posix.dirname(parent)) keep.add(parent);
  };
  const keepEntry = (path: string) => {
    if (keep.has(path)) return;
    const entry = index.get(path);
    if (!entry) return;
    keep.add(path);
    keepParents(path);
    if (entry.type === 'link' && entry.linkname) queue.push(entry.linkname);
    if (entry.head) {
      const interpreter = shebangInterpreter(entry.head) ?? elfInterpreter(entry.head);
      if (interpreter) queue.push(interpreter);
    }
  };

  /** Walks `path` component by component, following symlinks, keeping what it passes. */
  const resolve = (start: string) => {
    let pending = posix.normalize(start).split('/').filter(Boolean);
    let current = '/';
    for (let hops = 0; pending.length > 0 && hops < 64; ) {
      const component = pending.shift() as string;
      const next = component === '..' ? posix.dirname(current) : posix.join(current, component);
      const entry = index.get(next);
      if (!entry) return;
      keepEntry(next);
      if (entry.type === 'symlink' && entry.linkname) {
        hops += 1;
        const target = entry.linkname.startsWith('/') ? entry.linkname : posix.join(current, entry.linkname);
        pending = [...posix.normalize(target).split('/').filter(Boolean), ...pending];
        current = '/';
        continue;
      }
      current = next;
    }
  };

  for (const path of request.paths) queue.push(path);
  const missingIncludes: string[] = [];
  for (const include of request.include ?? []) {
    const path = posix.normalize(include.startsWith('/') ? include : `/${include}`).replace(/(.)\/$/, '$1');
    if (!index.has(path)) {
      missingIncludes.push(include);
      continue;
    }
    queue.push(path);
    const prefix = path === '/' ? '/' : `${path}/`;
    for (const candidate of index.keys()) if (candidate.startsWith(prefix)) queue.push(candidate);
  }
  for (const directory of request.listed ?? []) {
    const prefix = directory === '/' ? '/' : `${directory}/`;
    for (const candidate of index.keys()) {
      if (candidate.startsWith(prefix) && !candidate.slice(prefix.length).includes('/') && candidate !== '/') keepEntry(candidate);
    }
  }
  while (queue.length > 0) {
    const path = posix.normalize(queue.shift() as string);
    if (visited.has(path) || underRuntimeMount(path) || path.startsWith('/.dockaudit')) continue;
    visited.add(path);
    resolve(path);
  }
  return { keep, missingIncludes };
}

/** Where `path` leads in the image once every symlink on the way is followed; undefined when it does not exist. */
export function realPath(index: FsIndex, path: string): string | undefined {
  let pending = posix.normalize(path).split('/').filter(Boolean);
  let current = '/';
  for (let hops = 0; pending.length > 0; ) {
    const component = pending.shift() as string;
    const next = component === '..' ? posix.dirname(current) : posix.join(current, component);
    const entry = index.get(next);
    if (!entry) return undefined;
    if (entry.type === 'symlink' && entry.linkname) {
      hops += 1;
      if (hops > 64) return undefined;
      const target = entry.linkname.startsWith('/') ? entry.linkname : posix.join(current, entry.linkname);
      pending = [...posix.normalize(target).split('/').filter(Boolean), ...pending];
      current = '/';
      continue;
    }
    current = next;
  }
  return current;
}

/**
 * The observed file uses as the kernel checks them: AppArmor mediates the file a path resolves
 * to, and a script's interpreter (or a program's ELF loader) is executed without a syscall of its
 * own. Adds each resolved target with the same uses, and each interpreter as executed.
 */
export function resolvedFileUses<U extends string>(files: Map<string, Set<U>>, index: FsIndex, executeUses: U[]): Map<string, Set<U>> {
  const result = new Map<string, Set<U>>();
  const add = (path: string, uses: Iterable<U>) => {
    const set = result.get(path) ?? new Set<U>();
    for (const use of uses) set.add(use);
    result.set(path, set);
  };
  const queue: [string, Set<U>][] = [...files];
  for (let step = 0; step < queue.length && step < 100_000; step += 1) {
    const [path, uses] = queue[step] as [string, Set<U>];
    add(path, uses);
    const target = realPath(index, path);
    if (target === undefined) continue;
    if (target !== path) add(target, uses);
    const head = index.get(target)?.head;
    const executed = executeUses.some((use) => uses.has(use));
    if (executed && head) {
      const interpreter = shebangInterpreter(head) ?? elfInterpreter(head);
      if (interpreter && !result.has(interpreter)) queue.push([interpreter, new Set(executeUses)]);
    }
  }
  return new Map([...result].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** How many files and bytes a plan keeps, of how many. */
export function planTotals(index: FsIndex, keep: Set<string>): { keptFiles: number; totalFiles: number; keptBytes: number; totalBytes: number } {
  let keptFiles = 0;
  let totalFiles = 0;
  let keptBytes = 0;
  let totalBytes = 0;
  for (const [path, entry] of index) {
    if (entry.type === 'directory') continue;
    totalFiles += 1;
    totalBytes += entry.size;
    if (keep.has(path)) {
      keptFiles += 1;
      keptBytes += entry.size;
    }
  }
  return { keptFiles, totalFiles, keptBytes, totalBytes };
}

/** Streams `source` (a tar) into a new tar holding only the entries in `keep`. */
export function filterTar(source: Readable, keep: Set<string>): Readable {
  const reader = extract();
  const writer = pack();
  reader.on('entry', (header, body, next) => {
    if (!keep.has(normaliseEntryName(header.name))) {
      body.on('end', next);
      body.resume();
      return;
    }
    const target = writer.entry(header, (error) => (error ? reader.destroy(error) : next()));
    body.pipe(target);
  });
  reader.on('finish', () => writer.finalize());
  reader.on('error', (error) => writer.destroy(error));
  source.on('error', (error) => reader.destroy(error));
  source.pipe(reader);
  // tar-stream's streams are streamx streams: hand the caller a Node one.
  return Readable.from(writer as AsyncIterable<Buffer>);
}

/** The parts of an image's config that `docker import --change` can carry over. */
export interface ImageConfig {
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Env?: string[] | null;
  WorkingDir?: string;
  User?: string;
  ExposedPorts?: Record<string, unknown> | null;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
  Volumes?: Record<string, unknown> | null;
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number } | null;
}

const quote = (value: string) => JSON.stringify(value);

function duration(nanoseconds: number | undefined): string | undefined {
  return nanoseconds ? `${Math.round(nanoseconds / 1_000_000)}ms` : undefined;
}

/**
 * Dockerfile instructions that give an imported filesystem the original image's config. The
 * daemon's import accepts CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK, LABEL, ONBUILD, USER, VOLUME
 * and WORKDIR; STOPSIGNAL is refused, so a stop signal cannot be carried over.
 */
export function configChanges(config: ImageConfig): string[] {
  const changes: string[] = [];
  if (config.Entrypoint && config.Entrypoint.length > 0) changes.push(`ENTRYPOINT ${JSON.stringify(config.Entrypoint)}`);
  if (config.Cmd && config.Cmd.length > 0) changes.push(`CMD ${JSON.stringify(config.Cmd)}`);
  for (const variable of config.Env ?? []) {
    const equals = variable.indexOf('=');
    if (equals > 0) changes.push(`ENV ${variable.slice(0, equals)}=${quote(variable.slice(equals + 1))}`);
  }
  if (config.WorkingDir) changes.push(`WORKDIR ${config.WorkingDir}`);
  if (config.User) changes.push(`USER ${config.User}`);
  for (const port of Object.keys(config.ExposedPorts ?? {}).sort()) changes.push(`EXPOSE ${port}`);
  for (const [key, value] of Object.entries(config.Labels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) changes.push(`LABEL ${quote(key)}=${quote(value)}`);
  for (const volume of Object.keys(config.Volumes ?? {}).sort()) changes.push(`VOLUME ${JSON.stringify([volume])}`);
  const health = config.Healthcheck;
  if (health?.Test && health.Test.length > 0) {
    const [kind, ...command] = health.Test;
    if (kind === 'NONE') changes.push('HEALTHCHECK NONE');
    else {
      const options = [
        duration(health.Interval) && `--interval=${duration(health.Interval)}`,
        duration(health.Timeout) && `--timeout=${duration(health.Timeout)}`,
        duration(health.StartPeriod) && `--start-period=${duration(health.StartPeriod)}`,
        health.Retries && `--retries=${health.Retries}`,
      ].filter(Boolean);
      const form = kind === 'CMD-SHELL' ? (command[0] ?? '') : JSON.stringify(command);
      changes.push(['HEALTHCHECK', ...options, 'CMD', form].join(' '));
    }
  }
  return changes;
}
