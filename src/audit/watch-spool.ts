/**
 * The spool of a watch's webhook: each change is written to a file of its own before anyone is
 * told, and the file is removed only once the receiver has taken it. So a receiver that is down,
 * or a watch that is stopped and started again, loses nothing: what is in the spool is delivered
 * first, in the order it was written.
 *
 * One file per change, `<sequence>.json`, 0600 in a 0700 directory, written by the private-file
 * writer (a new file renamed into place; no link followed). The sequence only grows, also across
 * restarts (it starts at least at the clock in microseconds), so a receiver can drop a change it
 * has already seen by its `sequence`.
 *
 * The spool has a size cap: when a new change would pass it, the oldest changes not being sent are
 * dropped, counted, and told; the watch itself never stops for a full spool.
 */
import { constants } from 'node:fs';
import { lstat, open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDirectory, writePrivateFile } from '../collect/private-file.js';
import { UsageError, describeError } from '../errors.js';

/** Default cap of the bytes the spool holds: 64 MiB, some 40 000 changes. */
export const DEFAULT_SPOOL_MAX_BYTES = 64 * 1024 * 1024;

const ENTRY = /^(\d{16})\.json$/;

/**
 * The largest sequence taken from a file name: 2^52, the clock in microseconds until the year
 * 2112, with as much again to count on from there exactly (a JavaScript number is exact to 2^53).
 * A name past it is no file of ours: taken, the next sequences would lose digits or grow past 16.
 */
const MAX_SEQUENCE = 2 ** 52;

/**
 * One spool file's change, read without following a link or waiting on a FIFO and at most
 * `maxBytes` long, and checked: one JSON object whose `sequence` is the one its name says. A file
 * that is anything else was not written by the spool, and throws with why.
 */
async function readChange(path: string, sequence: number, maxBytes: number): Promise<string> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  let text: string;
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Error('it is not a regular file');
    if (info.size > maxBytes) throw new Error(`it is larger than the spool's cap (${maxBytes} bytes)`);
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let read = 0;
    while (read < buffer.length) {
      const { bytesRead } = await handle.read(buffer, read, buffer.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    if (read > maxBytes) throw new Error(`it is larger than the spool's cap (${maxBytes} bytes)`);
    text = buffer.subarray(0, read).toString('utf8');
  } finally {
    await handle.close();
  }
  let change: unknown;
  try {
    change = JSON.parse(text);
  } catch {
    throw new Error('it is not one JSON document');
  }
  if (typeof change !== 'object' || change === null || Array.isArray(change)) throw new Error('it is not a change');
  if ((change as { sequence?: unknown }).sequence !== sequence) throw new Error('its sequence is not the one its name says');
  return text;
}

export interface SpoolEntry {
  sequence: number;
  bytes: number;
}

export interface SpoolOptions {
  directory: string;
  maxBytes?: number;
  /** Ancestors dockaudit owns and keeps private too (the default's `dockaudit` directory). */
  privateParents?: string[];
  onNotice?: (message: string) => void;
}

/** What a spool directory may hold: changes, and the temporary files of the private-file writer. */
const OWN_FILE = /^(\d{16}\.json|\.\d{16}\.json\.\d+\.[0-9a-f]+\.tmp)$/;

/**
 * A directory that exists must be a spool already: a real directory (not a link) of this user
 * holding nothing but spool files. Anything else is refused rather than made 0700 (`--spool /tmp`
 * would lock every other user out of /tmp) or filled.
 */
async function refuseForeignDirectory(directory: string): Promise<void> {
  let info;
  try {
    info = await lstat(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new UsageError(`--spool: cannot read ${directory}: ${describeError(error)}`);
  }
  if (!info.isDirectory()) throw new UsageError(`--spool: ${directory} is not a directory (a symbolic link is not followed)`);
  if (typeof process.getuid === 'function' && info.uid !== process.getuid()) throw new UsageError(`--spool: ${directory} belongs to another user; give a directory of dockaudit's own`);
  const foreign = (await readdir(directory)).find((name) => !OWN_FILE.test(name));
  if (foreign !== undefined) throw new UsageError(`--spool: ${directory} holds other files (${foreign}); give a directory of dockaudit's own (it is created 0700 when missing)`);
}

function fileName(sequence: number): string {
  return `${String(sequence).padStart(16, '0')}.json`;
}

export class Spool {
  private readonly entries: SpoolEntry[] = [];
  private bytes = 0;
  private next = 0;
  /** Sequences being sent now: never dropped under them. */
  private readonly inFlight = new Set<number>();
  /**
   * Changes handed over and not yet written, oldest first from `head`: at most `maxBytes` of them,
   * so a disk slower than the changes costs no more memory than the spool's cap.
   */
  private queued: ({ sequence: number; text: string; size: number; done: () => void } | undefined)[] = [];
  private head = 0;
  private queuedBytes = 0;
  /** The writer of the queued changes while it runs. */
  private writer: Promise<void> | undefined;
  /** Changes dropped at the cap since the start. */
  dropped = 0;
  /** Changes that could not be written (the disk full, the directory gone): also lost, also told. */
  writeFailures = 0;
  readonly maxBytes: number;

  private constructor(
    readonly directory: string,
    maxBytes: number,
    private readonly notice: (message: string) => void,
  ) {
    this.maxBytes = maxBytes;
  }

  /** Opens (creating it 0700) the spool directory and lists what an earlier run left in it. */
  static async open(options: SpoolOptions): Promise<Spool> {
    const spool = new Spool(options.directory, options.maxBytes ?? DEFAULT_SPOOL_MAX_BYTES, options.onNotice ?? (() => undefined));
    await refuseForeignDirectory(options.directory);
    await ensurePrivateDirectory(options.directory, options.privateParents ?? []);
    const names = await readdir(options.directory);
    for (const name of names) {
      const match = ENTRY.exec(name);
      if (match === null) continue;
      if (Number(match[1]) > MAX_SEQUENCE) {
        spool.dropped += 1;
        spool.notice(`webhook spool: ${name} is not a change this spool wrote (its sequence is out of range) and is not sent`);
        continue;
      }
      const info = await lstat(join(options.directory, name));
      if (!info.isFile()) continue;
      spool.entries.push({ sequence: Number(match[1]), bytes: info.size });
      spool.bytes += info.size;
    }
    spool.entries.sort((a, b) => a.sequence - b.sequence);
    const last = spool.entries.at(-1)?.sequence ?? 0;
    spool.next = Math.max(last + 1, Date.now() * 1000);
    return spool;
  }

  /** Changes waiting, and their bytes. */
  get pending(): number {
    return this.entries.length;
  }

  get pendingBytes(): number {
    return this.bytes;
  }

  /**
   * Writes one change (given its sequence by `render`), after the ones before it. Resolves once it
   * is on disk; a failure to write is counted and told, never thrown.
   */
  append(render: (sequence: number) => string): Promise<void> {
    const sequence = this.next;
    this.next += 1;
    const text = render(sequence);
    const size = Buffer.byteLength(text);
    if (size > this.maxBytes) {
      this.dropped += 1;
      this.notice(`webhook spool: a change of ${size} bytes is larger than the spool's cap (${this.maxBytes} bytes) and was dropped`);
      return Promise.resolve();
    }
    const written = new Promise<void>((done) => {
      this.queued.push({ sequence, text, size, done });
      this.queuedBytes += size;
    });
    // Written more slowly than they come: the oldest waiting make room, as on disk.
    let droppedNow = 0;
    while (this.queuedBytes > this.maxBytes && this.queued.length - this.head > 1) {
      const oldest = this.shift();
      oldest.done();
      droppedNow += 1;
    }
    if (droppedNow > 0) {
      const before = this.dropped;
      this.dropped += droppedNow;
      if (before === 0 || Math.floor(before / 1000) !== Math.floor(this.dropped / 1000)) {
        this.notice(`webhook spool: changes come faster than they are written; the oldest waiting are dropped (${this.maxBytes} bytes at most wait), ${this.dropped} dropped in all`);
      }
    }
    this.writer ??= this.drain();
    return written;
  }

  private shift(): { sequence: number; text: string; size: number; done: () => void } {
    const item = this.queued[this.head] as { sequence: number; text: string; size: number; done: () => void };
    this.queued[this.head] = undefined;
    this.head += 1;
    this.queuedBytes -= item.size;
    // Compacted once half of it is spent: each change is moved at most once more on average.
    if (this.head > 1024 && this.head * 2 > this.queued.length) {
      this.queued = this.queued.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Writes the queued changes one by one, in order, until none wait. */
  private async drain(): Promise<void> {
    while (this.queued.length - this.head > 0) {
      const item = this.shift();
      this.makeRoom(item.size);
      try {
        await writePrivateFile(join(this.directory, fileName(item.sequence)), item.text);
        this.entries.push({ sequence: item.sequence, bytes: item.size });
        this.bytes += item.size;
      } catch (error) {
        this.writeFailures += 1;
        this.notice(`webhook spool: a change could not be written to ${this.directory} and is lost: ${describeError(error)}`);
      }
      item.done();
    }
    this.queued = [];
    this.head = 0;
    this.writer = undefined;
  }

  /** Drops the oldest changes not being sent until `size` more bytes fit under the cap. */
  private makeRoom(size: number): void {
    let index = 0;
    let droppedNow = 0;
    while (this.bytes + size > this.maxBytes && index < this.entries.length) {
      const entry = this.entries[index] as SpoolEntry;
      if (this.inFlight.has(entry.sequence)) {
        index += 1;
        continue;
      }
      this.entries.splice(index, 1);
      this.bytes -= entry.bytes;
      droppedNow += 1;
      unlink(join(this.directory, fileName(entry.sequence))).catch(() => undefined);
    }
    if (droppedNow > 0) {
      this.dropped += droppedNow;
      this.notice(`webhook spool full (${this.maxBytes} bytes): dropped the ${droppedNow} oldest undelivered change(s), ${this.dropped} in all`);
    }
  }

  /** Resolves when every change appended so far is on disk (or counted as lost). */
  flushed(): Promise<void> {
    return this.writer ?? Promise.resolve();
  }

  /**
   * The oldest changes, in order, at most `count` of them and about `maxBytes` (at least one),
   * read from their files and marked as being sent. A file that cannot be read is dropped, told.
   */
  async take(count: number, maxBytes: number): Promise<{ entries: SpoolEntry[]; texts: string[] }> {
    const entries: SpoolEntry[] = [];
    const texts: string[] = [];
    let bytes = 0;
    for (const entry of [...this.entries]) {
      if (entries.length >= count || (entries.length > 0 && bytes + entry.bytes > maxBytes)) break;
      let text: string;
      try {
        text = await readChange(join(this.directory, fileName(entry.sequence)), entry.sequence, this.maxBytes);
      } catch (error) {
        this.forget(entry.sequence);
        this.dropped += 1;
        this.notice(`webhook spool: change ${entry.sequence} could not be read and was dropped: ${describeError(error)}`);
        continue;
      }
      // Dropped at the cap while being read: no longer ours to send.
      if (!this.entries.includes(entry)) continue;
      this.inFlight.add(entry.sequence);
      entries.push(entry);
      texts.push(text.trimEnd());
      bytes += entry.bytes;
    }
    return { entries, texts };
  }

  /** The changes were not delivered: they stay, first in line. */
  release(entries: SpoolEntry[]): void {
    for (const entry of entries) this.inFlight.delete(entry.sequence);
  }

  /** The changes were delivered: their files are removed. */
  async acknowledge(entries: SpoolEntry[]): Promise<void> {
    for (const entry of entries) {
      this.inFlight.delete(entry.sequence);
      this.forget(entry.sequence);
      await unlink(join(this.directory, fileName(entry.sequence))).catch(() => undefined);
    }
  }

  private forget(sequence: number): void {
    const index = this.entries.findIndex((entry) => entry.sequence === sequence);
    if (index === -1) return;
    const [entry] = this.entries.splice(index, 1);
    this.bytes -= (entry as SpoolEntry).bytes;
  }
}
