/**
 * `--webhook URL`: each change POSTed to a receiver as JSON, in order, through the spool
 * (watch-spool.ts), so nothing is lost while the receiver is down or the watch restarts.
 *
 * - A request carries a JSON array of up to 100 changes (about 1 MiB at most), oldest first; each
 *   is the change line of stdout with its spool `sequence`. Delivery is at least once: a receiver
 *   that took a batch but whose answer never came gets it again, with the same sequences.
 * - Any 2xx answer delivers the batch. Anything else (no answer within the deadline, a refused
 *   connection, a 4xx or 5xx, a redirect not followed) keeps it first in line and tries again
 *   after 0.5 s, 1 s, 2 s, … up to the cap, each wait drawn between half and all of that (jitter).
 * - Redirects: 307 and 308 to the same scheme, host and port are followed (three at most); any
 *   other redirect, and every one to another host, is a failed delivery.
 * - Credentials in the URL (`https://user:pass@host/…`) are sent as HTTP Basic authorization, and
 *   never printed: notices name the receiver by scheme, host and port only (paths often hold
 *   tokens too).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createHmac, randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCacheRoot } from '../collect/image/cache.js';
import { UsageError, describeError } from '../errors.js';
import { VERSION } from '../version.js';
import { Spool } from './watch-spool.js';
import { sleep } from '../collect/sleep.js';

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
export const DEFAULT_WEBHOOK_BACKOFF_INITIAL_MS = 500;
export const DEFAULT_WEBHOOK_BACKOFF_MAX_MS = 30_000;
const MAX_BATCH = 100;
const MAX_BATCH_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 3;
/** The receiver's answer is read (and dropped) up to this much. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface WebhookOptions {
  url: string;
  /** The spool directory; default `<cache>/watch-spool/<digest of the URL without its credentials>`. */
  spoolDirectory?: string;
  /** Where the default spool's cache root is read from (`XDG_CACHE_HOME`, `HOME`); default `process.env`. */
  env?: NodeJS.ProcessEnv;
  spoolMaxBytes?: number;
  /** Deadline of one request, answer included. */
  timeoutMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  onNotice?: (message: string) => void;
}

export interface WebhookStats {
  receiver: string;
  delivered: number;
  failures: number;
  dropped: number;
  pending: number;
  pendingBytes: number;
}

/** The URL checked: http or https, with a host. Usage error otherwise (the URL itself not repeated). */
export function parseWebhookUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError('--webhook: not a URL (give http://host[:port]/path or https://…)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--webhook: ${url.protocol} is not supported; give an http:// or https:// URL`);
  if (url.hostname === '') throw new UsageError('--webhook: the URL has no host');
  return url;
}

/** What a notice may say of a URL: scheme, host and port, no credentials, path or query. */
export function redactedUrl(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/** Bytes of the key that names default spools. */
const SPOOL_KEY_BYTES = 32;

/**
 * The key that names default spools, in `<cacheRoot>/watch-spool/.key` (0600, created on first
 * use, never through a link). A webhook URL often carries its token in its path: a plain hash of
 * it as a directory name could be tested against guesses by whoever lists the directory; a keyed
 * one cannot, without the key, which only the spool's owner may read.
 */
function spoolKey(cacheRoot: string): Buffer {
  const directory = join(cacheRoot, 'watch-spool');
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const path = join(directory, '.key');
  const noFollow = constants.O_NOFOLLOW ?? 0;
  let descriptor: number;
  try {
    descriptor = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | noFollow, 0o600);
    const key = randomBytes(SPOOL_KEY_BYTES);
    try {
      writeSync(descriptor, key);
    } finally {
      closeSync(descriptor);
    }
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(`cannot keep the spool key ${path}: ${describeError(error)}`);
  }
  descriptor = openSync(path, constants.O_RDONLY | noFollow | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(descriptor);
    if (!stats.isFile() || stats.size !== SPOOL_KEY_BYTES || (stats.mode & 0o077) !== 0) {
      throw new UsageError(`refusing the spool key ${path}: it is not a private ${SPOOL_KEY_BYTES}-byte file (remove it to make a new one)`);
    }
    const key = Buffer.alloc(SPOOL_KEY_BYTES);
    if (readSync(descriptor, key, 0, SPOOL_KEY_BYTES, 0) !== SPOOL_KEY_BYTES) throw new UsageError(`cannot read the spool key ${path}`);
    return key;
  } finally {
    closeSync(descriptor);
  }
}

/**
 * The default spool of a receiver: one directory per URL, credentials left out, named by a keyed
 * digest so that the name says nothing of a token in the URL's path or query.
 */
export function defaultSpoolDirectory(cacheRoot: string, url: URL): string {
  const bare = new URL(url.href);
  bare.username = '';
  bare.password = '';
  const name = createHmac('sha256', spoolKey(cacheRoot)).update(bare.href).digest('hex').slice(0, 16);
  return join(cacheRoot, 'watch-spool', name);
}


class DeliveryError extends Error {}

export class WebhookSink {
  private readonly url: URL;
  private readonly receiver: string;
  private readonly authorization: string | undefined;
  private readonly controller = new AbortController();
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private delivered = 0;
  private failures = 0;

  private constructor(
    private readonly spool: Spool,
    url: URL,
    private readonly options: WebhookOptions,
  ) {
    this.url = new URL(url.href);
    this.receiver = redactedUrl(url);
    if (url.username !== '' || url.password !== '') {
      const user = decodeURIComponent(url.username);
      const password = decodeURIComponent(url.password);
      this.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      this.url.username = '';
      this.url.password = '';
    }
  }

  static async open(options: WebhookOptions): Promise<WebhookSink> {
    const url = parseWebhookUrl(options.url);
    const cacheRoot = defaultCacheRoot(options.env ?? process.env);
    const directory = options.spoolDirectory ?? defaultSpoolDirectory(cacheRoot, url);
    const spool = await Spool.open({
      directory,
      ...(options.spoolMaxBytes !== undefined ? { maxBytes: options.spoolMaxBytes } : {}),
      ...(options.spoolDirectory === undefined ? { privateParents: [cacheRoot, join(cacheRoot, 'watch-spool')] } : {}),
      ...(options.onNotice ? { onNotice: options.onNotice } : {}),
    });
    const sink = new WebhookSink(spool, url, options);
    if (spool.pending > 0) sink.notice(`webhook ${sink.receiver}: ${spool.pending} change(s) left in the spool by an earlier run are delivered first`);
    sink.loop = sink.deliver();
    return sink;
  }

  private notice(message: string): void {
    this.options.onNotice?.(message);
  }

  /** Spools one change (the object of its JSON line) and wakes the sender. */
  push(change: Record<string, unknown>): Promise<void> {
    const written = this.spool.append((sequence) => `${JSON.stringify({ sequence, ...change })}\n`);
    void written.then(() => this.nudge());
    return written;
  }

  stats(): WebhookStats {
    return { receiver: this.receiver, delivered: this.delivered, failures: this.failures, dropped: this.spool.dropped + this.spool.writeFailures, pending: this.spool.pending, pendingBytes: this.spool.pendingBytes };
  }

  /** Stops sending; every change pushed is on disk when it resolves, to be sent by the next run. */
  async close(): Promise<void> {
    await this.spool.flushed();
    this.controller.abort(new Error('the watch was stopped'));
    this.nudge();
    await this.loop;
  }

  private nudge(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async deliver(): Promise<void> {
    const signal = this.controller.signal;
    const initialMs = this.options.backoffInitialMs ?? DEFAULT_WEBHOOK_BACKOFF_INITIAL_MS;
    const maxMs = this.options.backoffMaxMs ?? DEFAULT_WEBHOOK_BACKOFF_MAX_MS;
    let attempt = 0;
    while (!signal.aborted) {
      if (this.spool.pending === 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          if (signal.aborted || this.spool.pending > 0) this.nudge();
        });
        continue;
      }
      const batch = await this.spool.take(MAX_BATCH, MAX_BATCH_BYTES);
      if (batch.entries.length === 0) continue;
      try {
        await this.post(`[${batch.texts.join(',')}]`);
      } catch (error) {
        this.spool.release(batch.entries);
        if (signal.aborted) break;
        this.failures += 1;
        const cap = Math.min(initialMs * 2 ** attempt, maxMs);
        const delay = Math.round(cap / 2 + Math.random() * (cap / 2));
        attempt += 1;
        this.notice(`webhook ${this.receiver}: delivery failed (${describeError(error)}); ${this.spool.pending} change(s) kept in the spool, next try in ${(delay / 1000).toFixed(1)} s`);
        await sleep(delay, signal);
        continue;
      }
      if (attempt > 0) this.notice(`webhook ${this.receiver}: delivering again`);
      attempt = 0;
      this.delivered += batch.entries.length;
      await this.spool.acknowledge(batch.entries);
    }
  }

  /** One POST, redirects to the same origin followed; throws unless the answer is a 2xx. */
  private async post(body: string): Promise<void> {
    let target = this.url;
    for (let hop = 0; ; hop += 1) {
      const answer = await this.send(target, body);
      if (answer.status >= 200 && answer.status < 300) return;
      if ((answer.status === 307 || answer.status === 308) && answer.location !== undefined) {
        let next: URL;
        try {
          next = new URL(answer.location, target);
        } catch {
          throw new DeliveryError(`answered ${answer.status} with an unusable Location`);
        }
        if (next.origin !== target.origin) throw new DeliveryError(`answered ${answer.status} to another host (${redactedUrl(next)}), which is not followed`);
        if (hop + 1 >= MAX_REDIRECTS) throw new DeliveryError(`more than ${MAX_REDIRECTS} redirects`);
        target = next;
        continue;
      }
      if (answer.status >= 300 && answer.status < 400) throw new DeliveryError(`answered ${answer.status}; only 307 and 308 to the same host are followed`);
      throw new DeliveryError(`answered ${answer.status}`);
    }
  }

  private send(target: URL, body: string): Promise<{ status: number; location?: string }> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
    const payload = Buffer.from(body);
    return new Promise((resolve, reject) => {
      // A timer of our own and a listener on the watch's signal (a composed AbortSignal.timeout can
      // be collected before it fires): either ends the request, its answer included.
      const stop = this.controller.signal;
      let timedOut = false;
      const make = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = make(
        target,
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': String(payload.length),
            'User-Agent': `dockaudit/${VERSION}`,
            ...(this.authorization !== undefined ? { Authorization: this.authorization } : {}),
          },
        },
        (response: IncomingMessage) => {
          let read = 0;
          response.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_ANSWER_BYTES) response.destroy();
          });
          const settle = (): void => {
            finish();
            const location = response.headers.location;
            resolve({ status: response.statusCode ?? 0, ...(location !== undefined ? { location } : {}) });
          };
          response.on('end', settle);
          response.on('close', settle);
          response.on('error', () => undefined);
        },
      );
      const timer = setTimeout(() => {
        timedOut = true;
        request.destroy(new DeliveryError(`no answer within ${(timeoutMs / 1000).toFixed(1)} s`));
      }, timeoutMs);
      const onStop = (): void => void request.destroy(new DeliveryError('the watch was stopped'));
      stop.addEventListener('abort', onStop, { once: true });
      function finish(): void {
        clearTimeout(timer);
        stop.removeEventListener('abort', onStop);
      }
      request.on('error', (error) => {
        finish();
        reject(timedOut ? new DeliveryError(`no answer within ${(timeoutMs / 1000).toFixed(1)} s`) : error);
      });
      if (stop.aborted) onStop();
      request.end(payload);
    });
  }
}
