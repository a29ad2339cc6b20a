/**
 * `dockaudit db update`: downloads the zip files osv.dev publishes for each ecosystem
 * (`<source>/<ecosystem>/all.zip`) into dockaudit's cache directory, one after the other.
 *
 * Each download goes to a new private temporary file beside its destination, within a size cap
 * and a deadline (and a bound on silence); it is then read in full with the database reader, and
 * only a readable zip holding OSV documents is renamed over the previous copy. A failed, cut or
 * unreadable download leaves the previous copy as it was and removes the temporary file.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { describeError } from '../../errors.js';
import { formatSeconds } from '../docker-api.js';
import { sizeLabel } from '../image/limits.js';
import { ensurePrivateDirectory } from '../private-file.js';
import { DEFAULT_VULN_DB_LIMITS, type VulnDbLimits } from './limits.js';
import { loadAdvisoryDatabase } from './load.js';

export const OSV_SOURCE = 'https://osv-vulnerabilities.storage.googleapis.com';
export const DEFAULT_ECOSYSTEMS = ['Debian', 'Ubuntu', 'Alpine'];

export interface UpdateOptions {
  ecosystems: string[];
  /** Where the zips are kept (dockaudit's cache: `$XDG_CACHE_HOME/dockaudit/osv`). */
  directory: string;
  /** Ancestors of `directory` dockaudit owns, kept private too. */
  privateParents?: string[];
  /** Base address of the downloads; osv.dev's bucket by default. */
  source?: string;
  /** Largest download, in bytes. */
  maxBytes?: number;
  /** Milliseconds one download (and its check) may take. */
  timeoutMs?: number;
  /** Milliseconds without a byte after which a download is given up. */
  idleTimeoutMs?: number;
  /** The caps the check of a download reads it with. */
  limits?: VulnDbLimits;
  signal?: AbortSignal;
}

export type UpdateResult =
  | { ecosystem: string; status: 'updated'; path: string; bytes: number; documents: number }
  | { ecosystem: string; status: 'failed'; reason: string; kept?: string };

export const DEFAULT_DOWNLOAD_BYTES = 2 * 1024 ** 3;
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 15 * 60_000;
const DEFAULT_IDLE_MS = 60_000;

/** `Debian` → `Debian.zip`; anything but letters, digits, dot and dash becomes `_`. */
export function zipNameOf(ecosystem: string): string {
  return `${ecosystem.replace(/[^\w.-]/g, '_')}.zip`;
}

/** `url` as it may be printed: without the user name and password it may carry. */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

/** Streams `address` into `handle`, within the caps; resolves with the bytes written. */
function download(address: string, handle: FileHandle, maxBytes: number, idleMs: number, signal: AbortSignal): Promise<number> {
  // What the messages name: never the credentials the address may carry.
  const url = shownUrl(address);
  return new Promise((resolve, reject) => {
    const get = address.startsWith('https:') ? httpsGet : address.startsWith('http:') ? httpGet : undefined;
    if (!get) {
      reject(new Error(`unsupported address ${url}: http or https only`));
      return;
    }
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      request.destroy();
      reject(error);
    };
    const request = get(address, { signal, timeout: idleMs }, (response: IncomingMessage) => {
      if (response.statusCode !== 200) {
        response.resume();
        fail(new Error(`${url} answered HTTP ${response.statusCode ?? '?'}`));
        return;
      }
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        fail(new Error(`${url} is ${declared} bytes, over the cap of ${sizeLabel(maxBytes)} (--max-download-bytes)`));
        return;
      }
      let written = 0;
      let writing = Promise.resolve();
      response.on('data', (chunk: Buffer) => {
        written += chunk.length;
        if (written > maxBytes) {
          fail(new Error(`${url} sent more than the cap of ${sizeLabel(maxBytes)} (--max-download-bytes)`));
          return;
        }
        response.pause();
        writing = writing.then(async () => {
          await handle.write(chunk);
          response.resume();
        });
        writing.catch((error: unknown) => fail(error instanceof Error ? error : new Error(String(error))));
      });
      response.on('end', () => {
        writing.then(
          () => {
            if (settled) return;
            if (!response.complete) {
              fail(new Error(`${url}: the answer was cut short after ${written} bytes`));
              return;
            }
            settled = true;
            resolve(written);
          },
          () => undefined,
        );
      });
      response.on('aborted', () => fail(new Error(`${url}: the answer was cut short after ${written} bytes`)));
      response.on('error', (error) => fail(error));
    });
    request.on('timeout', () => fail(new Error(`${url}: no data for ${formatSeconds(idleMs)}`)));
    request.on('error', (error) => fail(signal.aborted ? new Error(describeError(signal.reason)) : error));
  });
}

/** Downloads, checks and puts in place one ecosystem's zip. */
async function updateOne(ecosystem: string, options: UpdateOptions): Promise<UpdateResult> {
  const destination = join(options.directory, zipNameOf(ecosystem));
  const kept = await stat(destination).then(
    () => destination,
    () => undefined,
  );
  const failed = (reason: string): UpdateResult => ({ ecosystem, status: 'failed', reason, ...(kept ? { kept } : {}) });
  const timeoutMs = options.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const url = `${(options.source ?? OSV_SOURCE).replace(/\/+$/, '')}/${encodeURIComponent(ecosystem)}/all.zip`;
  const temporary = join(options.directory, `.${zipNameOf(ecosystem)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    const bytes = await download(url, handle, options.maxBytes ?? DEFAULT_DOWNLOAD_BYTES, options.idleTimeoutMs ?? DEFAULT_IDLE_MS, signal);
    await handle.close();
    handle = undefined;
    const check = await loadAdvisoryDatabase([temporary], { limits: options.limits ?? DEFAULT_VULN_DB_LIMITS, keep: () => false, signal });
    if (check.documents === 0 || check.unreadable.count > 0) {
      const first = check.unreadable.examples[0]?.replace(temporary, 'the download');
      return failed(`${shownUrl(url)} is not a readable zip of OSV documents (${check.documents} documents read${first ? `; ${first}` : ''})`);
    }
    signal.throwIfAborted();
    await rename(temporary, destination);
    return { ecosystem, status: 'updated', path: destination, bytes, documents: check.documents };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return failed(deadline.aborted ? `${shownUrl(url)}: not done within ${formatSeconds(timeoutMs)} (--timeout)` : describeError(error));
  } finally {
    await handle?.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
  }
}

/** Updates each ecosystem in turn; one that fails keeps its previous copy and does not stop the others. */
export async function updateVulnerabilityDatabase(options: UpdateOptions): Promise<UpdateResult[]> {
  await ensurePrivateDirectory(options.directory, options.privateParents ?? []);
  const results: UpdateResult[] = [];
  for (const ecosystem of options.ecosystems) results.push(await updateOne(ecosystem, options));
  return results;
}
