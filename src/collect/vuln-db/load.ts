/**
 * Reads a vulnerability database: directories of OSV JSON documents, and zip files of them as
 * osv.dev publishes each ecosystem (`Debian/all.zip`), into an AdvisoryIndex. Zip entries are
 * inflated one at a time as streams, each cut off at the document cap whatever size it declares,
 * and yauzl checks that what an entry inflates to is the size it declares.
 *
 * A document that cannot be read (not JSON, no id, over its cap, a broken zip entry) is counted
 * and the reading goes on; a database cap reached stops the reading. Nothing is written.
 */
import { open, opendir, lstat, stat, readFile as readWhole } from 'node:fs/promises';
import { crc32, inflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { CollectionError, describeError } from '../../errors.js';
import { AdvisoryIndex } from '../../parsers/osv.js';
import { sizeLabel } from '../image/limits.js';
import { DEFAULT_VULN_DB_LIMITS, VULN_DB_LIMIT_FLAGS, type VulnDbLimits } from './limits.js';

export interface LoadOptions {
  limits?: VulnDbLimits;
  /** Which (ecosystem, package) pairs to keep; every pair when not given. */
  keep?: (ecosystem: string, name: string) => boolean;
  signal?: AbortSignal;
  /** Zip files up to this size are read into memory whole (default 1 GiB); larger ones entry by entry. */
  inMemoryZipBytes?: number;
}

/** The database cap was reached: the reading stops. */
class DatabaseCapReached extends Error {}

/** What the loader has spent of its caps. */
class Budget {
  documents = 0;
  bytes = 0;
  constructor(
    readonly limits: VulnDbLimits,
    readonly inMemoryZipBytes: number,
  ) {}

  /** Counts one more document of `bytes`; throws when a database cap is passed. */
  spend(bytes: number): void {
    this.documents += 1;
    this.bytes += bytes;
    if (this.documents > this.limits.documents) throw new DatabaseCapReached(`more than ${this.limits.documents} documents (${VULN_DB_LIMIT_FLAGS.documents}); the rest was not read`);
    if (this.bytes > this.limits.databaseBytes) throw new DatabaseCapReached(`more than ${sizeLabel(this.limits.databaseBytes)} of documents (${VULN_DB_LIMIT_FLAGS.databaseBytes}); the rest was not read`);
  }
}

function parseInto(index: AdvisoryIndex, text: string, where: string): void {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    index.documents += 1;
    index.addUnreadable(`${where}: not valid JSON`);
    return;
  }
  index.addDocument(document, where);
}

async function readJsonFile(path: string, index: AdvisoryIndex, budget: Budget): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const info = await handle.stat();
    if (!info.isFile()) return;
    if (info.size > budget.limits.documentBytes) {
      budget.spend(0);
      index.documents += 1;
      index.addUnreadable(`${path}: ${info.size} bytes, over the cap of ${sizeLabel(budget.limits.documentBytes)} (${VULN_DB_LIMIT_FLAGS.documentBytes})`);
      return;
    }
    budget.spend(info.size);
    const buffer = Buffer.alloc(info.size);
    let read = 0;
    while (read < info.size) {
      const { bytesRead } = await handle.read(buffer, read, info.size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    parseInto(index, buffer.subarray(0, read).toString('utf8'), path);
  } finally {
    await handle.close();
  }
}

/**
 * Zip files up to this size are read into memory whole and their entries inflated from there:
 * one read instead of several per entry (osv.dev's Debian zip holds tens of thousands of
 * documents). Larger ones are read entry by entry from the file.
 */
const IN_MEMORY_ZIP_BYTES = 1024 ** 3;

function openZip(path: string, buffer: Buffer | undefined): Promise<yauzl.ZipFile> {
  const options = { lazyEntries: true, autoClose: true, validateEntrySizes: true, strictFileNames: false };
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, zipfile: yauzl.ZipFile): void => (error ? reject(error) : resolve(zipfile));
    if (buffer) yauzl.fromBuffer(buffer, options, done);
    else yauzl.open(path, options, done);
  });
}

/**
 * Inflates one entry of a zip held in memory, up to `cap` bytes: undefined when it goes past.
 * Its local header is read for where the data starts; the size it inflates to and its CRC must
 * be the ones the central directory declares.
 */
function inflateFromBuffer(buffer: Buffer, entry: yauzl.Entry, cap: number): Buffer | undefined {
  const at = entry.relativeOffsetOfLocalHeader;
  if (at + 30 > buffer.length || buffer.readUInt32LE(at) !== 0x04034b50) throw new Error('no local file header where the directory points');
  const start = at + 30 + buffer.readUInt16LE(at + 26) + buffer.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > buffer.length) throw new Error('the entry runs past the end of the file');
  const data = buffer.subarray(start, end);
  let content: Buffer;
  if (entry.compressionMethod === 0) content = data;
  else if (entry.compressionMethod === 8) {
    try {
      content = inflateRawSync(data, { maxOutputLength: cap + 1 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return undefined;
      throw error;
    }
  } else throw new Error(`compression method ${entry.compressionMethod} is not supported`);
  if (content.length > cap) return undefined;
  if (content.length !== entry.uncompressedSize) throw new Error(`inflates to ${content.length} bytes where it declares ${entry.uncompressedSize}`);
  if (crc32(content) !== entry.crc32) throw new Error('its checksum does not match');
  return content;
}

/** Inflates one entry, up to `cap` bytes: undefined when it goes past. */
function inflate(zipfile: yauzl.ZipFile, entry: yauzl.Entry, cap: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    zipfile.openReadStream(entry, (error, stream) => {
      if (error) {
        reject(error);
        return;
      }
      const chunks: Buffer[] = [];
      let length = 0;
      stream.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (length > cap) {
          stream.destroy();
          resolve(undefined);
          return;
        }
        chunks.push(chunk);
      });
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks, length)));
    });
  });
}

/** Reads the JSON entries of one zip file, one at a time. */
async function readZip(path: string, index: AdvisoryIndex, budget: Budget, signal?: AbortSignal): Promise<void> {
  let zipfile: yauzl.ZipFile;
  let buffer: Buffer | undefined;
  try {
    // The size of what is read (a file named through a link is read as its target).
    const size = (await stat(path)).size;
    if (size <= budget.inMemoryZipBytes) buffer = await readWhole(path);
    zipfile = await openZip(path, buffer);
  } catch (error) {
    index.addUnreadable(`${path}: not a readable zip file (${describeError(error)})`);
    return;
  }
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      zipfile.close();
      if (error) reject(error);
      else resolve();
    };
    zipfile.on('error', (error: unknown) => {
      // A broken central directory or entry: what was read stays, the rest is counted as unreadable.
      index.addUnreadable(`${path}: ${describeError(error)}; the rest of the zip file was not read`);
      finish();
    });
    zipfile.on('end', () => finish());
    zipfile.on('entry', (entry: yauzl.Entry) => {
      void (async () => {
        try {
          signal?.throwIfAborted();
          const name = entry.fileName;
          if (name.endsWith('/') || !name.toLowerCase().endsWith('.json')) {
            zipfile.readEntry();
            return;
          }
          const where = `${path}:${name}`;
          if (entry.uncompressedSize > budget.limits.documentBytes) {
            budget.spend(0);
            index.documents += 1;
            index.addUnreadable(`${where}: declares ${entry.uncompressedSize} bytes, over the cap of ${sizeLabel(budget.limits.documentBytes)} (${VULN_DB_LIMIT_FLAGS.documentBytes})`);
            zipfile.readEntry();
            return;
          }
          budget.spend(entry.uncompressedSize);
          let content: Buffer | undefined;
          try {
            content = buffer ? inflateFromBuffer(buffer, entry, budget.limits.documentBytes) : await inflate(zipfile, entry, budget.limits.documentBytes);
          } catch (error) {
            index.documents += 1;
            index.addUnreadable(`${where}: ${describeError(error)}`);
            zipfile.readEntry();
            return;
          }
          if (content === undefined) {
            index.documents += 1;
            index.addUnreadable(`${where}: inflates past the cap of ${sizeLabel(budget.limits.documentBytes)} (${VULN_DB_LIMIT_FLAGS.documentBytes})`);
          } else parseInto(index, content.toString('utf8'), where);
          zipfile.readEntry();
        } catch (error) {
          finish(error);
        }
      })();
    });
    zipfile.readEntry();
  });
}

/**
 * Every file under a directory, depth first, in name order; symbolic links are listed, not
 * followed, and hidden names (a download in progress) are passed over.
 */
async function* filesUnder(directory: string): AsyncGenerator<{ path: string; link: boolean }> {
  const entries: { name: string; kind: 'directory' | 'file' | 'link' | 'other' }[] = [];
  for await (const entry of await opendir(directory)) {
    if (entry.name.startsWith('.')) continue;
    entries.push({ name: entry.name, kind: entry.isDirectory() ? 'directory' : entry.isFile() ? 'file' : entry.isSymbolicLink() ? 'link' : 'other' });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.kind === 'directory') yield* filesUnder(path);
    else if (entry.kind === 'file' || entry.kind === 'link') yield { path, link: entry.kind === 'link' };
  }
}

/** One path of the database: a JSON document, a zip file, or a directory holding them. */
async function readPath(path: string, index: AdvisoryIndex, budget: Budget, signal?: AbortSignal): Promise<void> {
  let directory: boolean;
  try {
    directory = (await lstat(path)).isDirectory();
  } catch (error) {
    throw new CollectionError(`cannot read the vulnerability database ${path}: ${describeError(error)}`);
  }
  if (!directory) {
    // A FIFO or a device would block the reading or never end: only regular files are read.
    const info = await stat(path).catch(() => undefined);
    if (info !== undefined && !info.isFile()) {
      index.addUnreadable(`${path}: not a regular file`);
      return;
    }
    // A file named on its own is read as what it holds, whatever its name.
    await readFile(path, index, budget, signal, (await isZip(path)) ? 'zip' : 'json');
    return;
  }
  for await (const file of filesUnder(path)) {
    signal?.throwIfAborted();
    if (file.link) {
      if (/\.(json|zip)$/i.test(file.path)) index.addUnreadable(`${file.path}: a symbolic link, not followed`);
      continue;
    }
    await readFile(file.path, index, budget, signal);
  }
}

/** Whether a file starts as a zip file does (a local header, or the end record of an empty one). */
async function isZip(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5);
  } finally {
    await handle.close();
  }
}

/** Reads one file as a zip or a JSON document: by `kind`, else by its name (other names are not database files). */
async function readFile(path: string, index: AdvisoryIndex, budget: Budget, signal?: AbortSignal, kind?: 'zip' | 'json'): Promise<void> {
  const lower = path.toLowerCase();
  const as = kind ?? (lower.endsWith('.zip') ? 'zip' : lower.endsWith('.json') ? 'json' : undefined);
  try {
    if (as === 'zip') await readZip(path, index, budget, signal);
    else if (as === 'json') await readJsonFile(path, index, budget);
  } catch (error) {
    if (error instanceof DatabaseCapReached || signal?.aborted) throw error;
    index.addUnreadable(`${path}: ${describeError(error)}`);
  }
}

/** The database at `paths`, read into an index. A path that does not exist is a CollectionError. */
export async function loadAdvisoryDatabase(paths: string[], options: LoadOptions = {}): Promise<AdvisoryIndex> {
  const index = new AdvisoryIndex(options.keep);
  const budget = new Budget(options.limits ?? DEFAULT_VULN_DB_LIMITS, options.inMemoryZipBytes ?? IN_MEMORY_ZIP_BYTES);
  for (const path of paths) {
    try {
      await readPath(path, index, budget, options.signal);
    } catch (error) {
      if (!(error instanceof DatabaseCapReached)) throw error;
      index.addUnreadable(`${path}: ${error.message}`);
      break;
    }
  }
  return index;
}
