/**
 * What the host collectors share: the filesystem reader, the facts of every path looked at,
 * and the list of what could not be seen. Every unreadable file lands in that list, so a
 * missing fact is never silent.
 */
import type { FileFacts } from '../../snapshot/host.js';
import { HostFs, type DirectoryRead, type TextRead } from './host-fs.js';

/** Size caps for what is read, so a hostile or huge host cannot exhaust the auditor. */
export const LIMITS = {
  /** Ordinary configuration files. */
  textBytes: 1024 * 1024,
  /** Account databases. */
  accountBytes: 8 * 1024 * 1024,
  /** Mount tables (a busy host has thousands of container mounts). */
  mountBytes: 16 * 1024 * 1024,
  /** Entries read from one directory of configuration snippets. */
  directoryEntries: 500,
  /** Paths whose owner and mode are recorded. */
  files: 5000,
} as const;

export class HostContext {
  readonly fs: HostFs;
  readonly files: Record<string, FileFacts> = {};
  readonly notVisible: string[] = [];
  private skippedFiles = 0;

  constructor(root: string) {
    this.fs = new HostFs(root);
  }

  /** Whether the host root is this machine's own root, so /proc, /sys and tools describe the host. */
  get isThisMachine(): boolean {
    return this.fs.root === '/';
  }

  private liveProc: Promise<boolean> | undefined;

  /**
   * Whether `/proc` under the host root is the host's live procfs: this machine's own, or the
   * host's mounted along with its root (`-v /:/host:ro` mounts it recursively). Its processes and
   * kernel settings are then the host's; an empty /proc (a disk image) is not.
   */
  hostProcIsLive(): Promise<boolean> {
    this.liveProc ??= this.isThisMachine ? Promise.resolve(true) : this.fs.exists('/proc/1/comm');
    return this.liveProc;
  }

  note(line: string): void {
    if (!this.notVisible.includes(line)) this.notVisible.push(line);
  }

  /** Records and returns the owner, mode and type of a host path (once per path). */
  async look(path: string): Promise<FileFacts> {
    const known = this.files[path];
    if (known) return known;
    if (Object.keys(this.files).length >= LIMITS.files) {
      this.skippedFiles += 1;
      return { path, status: 'unreadable', reason: `more than ${LIMITS.files} paths examined; this one was not` };
    }
    const facts = await this.fs.facts(path);
    this.files[path] = facts;
    if (facts.status === 'unreadable') this.note(`${path}: ${facts.reason ?? 'unreadable'}`);
    if (facts.target?.status === 'unreadable') this.note(`${facts.target.path}: ${facts.target.reason ?? 'unreadable'}`);
    return facts;
  }

  /** Reads a text file; an unreadable or truncated one is noted. */
  async read(path: string, maxBytes: number = LIMITS.textBytes): Promise<TextRead> {
    const result = await this.fs.readText(path, maxBytes);
    if (result.status === 'unreadable') this.note(`${path}: ${result.reason}`);
    if (result.status === 'read' && result.truncated) this.note(`${path}: only its first ${maxBytes} bytes were read`);
    return result;
  }

  /** Lists a directory; an unreadable or truncated one is noted. */
  async list(path: string, maxEntries: number = LIMITS.directoryEntries): Promise<DirectoryRead> {
    const result = await this.fs.list(path, maxEntries);
    if (result.status === 'unreadable') this.note(`${path}: ${result.reason}`);
    if (result.status === 'read' && result.truncated) this.note(`${path}: only its first ${maxEntries} entries were read`);
    return result;
  }

  /** Reads every file of a directory whose name passes `accept`, in name order. */
  async readDirectory(directory: string, accept: (name: string) => boolean): Promise<{ path: string; text: string }[]> {
    const listing = await this.list(directory);
    if (listing.status !== 'read') return [];
    const texts: { path: string; text: string }[] = [];
    for (const name of listing.names.filter(accept)) {
      const path = `${directory}/${name}`;
      const read = await this.read(path);
      if (read.status === 'read') texts.push({ path, text: read.text });
    }
    return texts;
  }

  /** Closing notes that summarise caps reached. */
  finish(): void {
    if (this.skippedFiles > 0) this.note(`${this.skippedFiles} further paths were not examined (cap of ${LIMITS.files})`);
  }
}
