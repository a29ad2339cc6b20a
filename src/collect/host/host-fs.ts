/**
 * Reads the host's filesystem through the host root. Paths given and returned are host paths
 * (`/etc/docker`); symbolic links are resolved inside the root, so a host's absolute link
 * (`/var/run` → `/run`) never leads to the auditing machine's own files.
 */
import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, readlink, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { describeError } from '../../errors.js';
import type { FileFacts } from '../../snapshot/host.js';

/** How much a read asks for at a time. */
const READ_CHUNK_BYTES = 64 * 1024;

/** Symbolic links followed while resolving one path, as the kernel's own limit. */
const MAX_LINKS = 40;

export type TextRead =
  | { status: 'read'; text: string; truncated: boolean }
  | { status: 'absent' }
  | { status: 'unreadable'; reason: string };

export type DirectoryRead =
  | { status: 'read'; names: string[]; truncated: boolean }
  | { status: 'absent' }
  | { status: 'unreadable'; reason: string };

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many levels of symbolic links',
  EIO: 'input/output error',
};

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** A reason without the machine path (which carries the host root), for facts and messages. */
export function errorReason(error: unknown): string {
  const code = errorCode(error);
  if (code !== undefined && REASONS[code]) return `${REASONS[code]} (${code})`;
  if (code !== undefined) return code;
  return describeError(error);
}

function loopError(): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error('too many levels of symbolic links');
  error.code = 'ELOOP';
  return error;
}

function typeOf(stats: Stats): NonNullable<FileFacts['type']> {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  if (stats.isSocket()) return 'socket';
  if (stats.isSymbolicLink()) return 'symlink';
  return 'other';
}

function describeStats(path: string, stats: Stats): FileFacts {
  return { path, status: 'present', type: typeOf(stats), uid: stats.uid, gid: stats.gid, mode: stats.mode & 0o7777 };
}

/** Path steps whose lstat a HostFs keeps: far above the few dozen directories a collection walks. */
const MAX_CACHED_STEPS = 4096;

/** Splits a host path into its names, `.` dropped. */
function namesOf(path: string): string[] {
  return path.split('/').filter((name) => name !== '' && name !== '.');
}

export class HostFs {
  /** The host root on this machine, absolute and normalised. */
  readonly root: string;
  /**
   * The directories and links met on the way to the paths looked at, by host path: a collection
   * looks at hundreds of paths under a few dozen directories, each of which is read once. One
   * instance serves one collection; at most MAX_CACHED_STEPS are kept.
   */
  private readonly steps = new Map<string, Promise<Stats>>();

  constructor(root: string) {
    this.root = posix.resolve(root);
  }

  /** lstat of a directory or link on the way to a path, read once per instance. */
  private step(hostPath: string): Promise<Stats> {
    let stats = this.steps.get(hostPath);
    if (stats === undefined) {
      stats = lstat(this.local(hostPath));
      if (this.steps.size < MAX_CACHED_STEPS) this.steps.set(hostPath, stats);
      // Awaited by the caller; this only keeps a failure from counting as unhandled while cached.
      stats.catch(() => undefined);
    }
    return stats;
  }

  /** Where a resolved host path is on this machine. */
  private local(hostPath: string): string {
    return this.root === '/' ? hostPath : join(this.root, hostPath);
  }

  /**
   * The host path with its symbolic links resolved inside the root; the last name is
   * followed only when `followLast`. Names past a missing directory are kept as written.
   */
  async resolve(hostPath: string, followLast: boolean): Promise<string> {
    const pending = namesOf(hostPath);
    const resolved: string[] = [];
    let links = 0;
    while (pending.length > 0) {
      const name = pending.shift() as string;
      if (name === '..') {
        resolved.pop();
        continue;
      }
      if (pending.length === 0 && !followLast) {
        resolved.push(name);
        break;
      }
      const candidate = `/${[...resolved, name].join('/')}`;
      let stats: Stats;
      try {
        stats = await this.step(candidate);
      } catch (error) {
        if (!isMissing(error)) throw error;
        return posix.normalize(`/${[...resolved, name, ...pending].join('/')}`);
      }
      if (!stats.isSymbolicLink()) {
        resolved.push(name);
        continue;
      }
      links += 1;
      if (links > MAX_LINKS) throw loopError();
      const link = await readlink(this.local(candidate));
      if (link.startsWith('/')) resolved.length = 0;
      pending.unshift(...namesOf(link));
    }
    return `/${resolved.join('/')}`;
  }

  /**
   * Owner, mode and type of a host path, as the path itself is (a link stays a link), with
   * the facts of what a link resolves to and the fully resolved path where it differs.
   */
  async facts(hostPath: string): Promise<FileFacts> {
    try {
      const linkPath = await this.resolve(hostPath, false);
      const stats = await lstat(this.local(linkPath));
      const facts = describeStats(hostPath, stats);
      if (stats.isSymbolicLink()) {
        facts.target = await this.targetFacts(hostPath);
        if (facts.target.path !== hostPath) facts.realPath = facts.target.path;
      } else if (linkPath !== hostPath) {
        facts.realPath = linkPath;
      }
      return facts;
    } catch (error) {
      if (isMissing(error)) return { path: hostPath, status: 'absent' };
      return { path: hostPath, status: 'unreadable', reason: errorReason(error) };
    }
  }

  private async targetFacts(hostPath: string): Promise<FileFacts> {
    let real: string;
    try {
      real = await this.resolve(hostPath, true);
    } catch (error) {
      return { path: hostPath, status: 'unreadable', reason: errorReason(error) };
    }
    try {
      return describeStats(real, await lstat(this.local(real)));
    } catch (error) {
      if (isMissing(error)) return { path: real, status: 'absent' };
      return { path: real, status: 'unreadable', reason: errorReason(error) };
    }
  }

  /** Whether the path resolves to something (a dangling link does not). */
  async exists(hostPath: string): Promise<boolean> {
    try {
      await stat(this.local(await this.resolve(hostPath, true)));
      return true;
    } catch {
      return false;
    }
  }

  /** Modification time of what the path resolves to, or undefined. */
  async modified(hostPath: string): Promise<Date | undefined> {
    try {
      return (await stat(this.local(await this.resolve(hostPath, true)))).mtime;
    } catch {
      return undefined;
    }
  }

  /**
   * The text of a regular file, at most `maxBytes` of it. Anything else (a FIFO, a device)
   * is refused rather than opened, so that reading never blocks.
   */
  async readText(hostPath: string, maxBytes: number): Promise<TextRead> {
    let local: string;
    try {
      local = this.local(await this.resolve(hostPath, true));
      const stats = await stat(local);
      if (!stats.isFile()) return { status: 'unreadable', reason: `not a regular file (${typeOf(stats)})` };
    } catch (error) {
      return isMissing(error) ? { status: 'absent' } : { status: 'unreadable', reason: errorReason(error) };
    }
    let handle;
    try {
      handle = await open(local, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      return isMissing(error) ? { status: 'absent' } : { status: 'unreadable', reason: errorReason(error) };
    }
    try {
      // Sizes under /proc read as 0, so read until the end or the cap rather than by size; in
      // pieces, since most files are far smaller than the cap a caller allows.
      const chunks: Buffer[] = [];
      let filled = 0;
      while (filled <= maxBytes) {
        const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, maxBytes + 1 - filled));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        chunks.push(chunk.subarray(0, bytesRead));
        filled += bytesRead;
      }
      const truncated = filled > maxBytes;
      return { status: 'read', text: Buffer.concat(chunks, filled).subarray(0, Math.min(filled, maxBytes)).toString('utf8'), truncated };
    } catch (error) {
      return { status: 'unreadable', reason: errorReason(error) };
    } finally {
      await handle.close();
    }
  }

  /** The sorted names in a directory, at most `maxEntries` of them. */
  async list(hostPath: string, maxEntries: number): Promise<DirectoryRead> {
    try {
      const names = (await readdir(this.local(await this.resolve(hostPath, true)))).sort();
      return { status: 'read', names: names.slice(0, maxEntries), truncated: names.length > maxEntries };
    } catch (error) {
      return isMissing(error) ? { status: 'absent' } : { status: 'unreadable', reason: errorReason(error) };
    }
  }
}
