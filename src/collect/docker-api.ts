/**
 * A small Docker Engine API client, with the calls dockaudit makes and the method names dockerode
 * uses for them. JSON calls over a unix socket or plain TCP go through engine-http.ts (a lean
 * HTTP/1.1 exchange, a third of node:http's CPU per call); streams, TLS and `ssh` use node:http.
 *
 * Why not dockerode itself: importing it loads gRPC and protobuf for BuildKit sessions,
 * 0.7 s of start-up on every audit, more than collecting 500 containers takes. dockaudit only
 * reads JSON documents and one export stream, which plain HTTP does in a few lines.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Duplex, Readable } from 'node:stream';
import { CollectionError, describeError } from '../errors.js';
import { ConnectionPool, ExchangeError, quote, type Answer } from './engine-http.js';

/** The largest JSON answer read by default: far above what a large host's documents need. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** How long a JSON call may take by default, from sending to the last byte of its answer. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** How long any request (streams included) may stay silent by default. */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

export interface EngineClientOptions {
  socketPath?: string;
  host?: string;
  port?: string | number;
  protocol?: 'http' | 'https';
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** `false`: TLS without checking the daemon's certificate (a context's `SkipTLSVerify`, `DOCKER_TLS`). */
  rejectUnauthorized?: boolean;
  /** Milliseconds a request, streams included, may stay silent before it fails. */
  timeout?: number;
  /** Milliseconds a JSON call may take in all, however steadily the answer trickles in. */
  requestTimeout?: number;
  /**
   * Bytes a JSON answer (or any answer read whole) may have. Streams handed to the caller (image
   * and container exports) are not held here: their readers cap what they keep.
   */
  maxResponseBytes?: number;
  /**
   * Ends every request of this client, in flight or still to send, when it aborts: the deadline of
   * a whole collection. Its reason, an Error, says why.
   */
  signal?: AbortSignal;
  /** API version prefix (`v1.41`); none by default, so the daemon answers with its own version. */
  version?: string;
  /**
   * Opens a connection to the daemon, when it is neither a socket path nor a host and port (an
   * `ssh` child speaking through `docker system dial-stdio`). HTTP runs over the stream it returns.
   */
  connect?: () => Duplex;
  /** Connections open at once to the daemon; default 64 (each `ssh` connection is a process). */
  maxSockets?: number;
}

/** Which bound a request ran into, when it failed on one rather than on the daemon's answer. */
export type EngineLimit = 'size' | 'deadline' | 'idle' | 'target' | 'cut';

/**
 * An Engine API request that did not succeed. `statusCode` tells 404 (gone) from the rest;
 * `limit` says which bound ended the request, when one did.
 */
export class EngineApiError extends CollectionError {
  constructor(
    message: string,
    readonly statusCode?: number,
    readonly limit?: EngineLimit,
  ) {
    super(message);
    this.name = 'EngineApiError';
  }
}

type Json = Record<string, unknown>;

function query(parameters: Record<string, string | number | boolean | undefined>): string {
  const entries = Object.entries(parameters).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return '';
  return `?${new URLSearchParams(entries.map(([key, value]) => [key, String(value)])).toString()}`;
}

/** A size for messages: `64 MiB`, `512 KiB`, or bytes when not a whole number of either. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [['GiB', 1 << 30], ['MiB', 1 << 20], ['KiB', 1 << 10]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** A duration for messages, in seconds: `30 s`, `0.3 s`. */
export function formatSeconds(milliseconds: number): string {
  return `${Number((milliseconds / 1000).toFixed(3))} s`;
}

/**
 * What a daemon's error answer says, on one line, kept short and with its control characters
 * escaped (`\x1b`, `\r`): it is quoted in messages.
 */
function daemonMessage(text: string): string {
  let message = text.trim();
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? message;
  } catch {
    // Not JSON: keep the text.
  }
  return quote(String(message).split('\n')[0] ?? '');
}

/**
 * Reads a whole answer, refusing more than `maxBytes`: a declared length over the cap fails at
 * once, a body that grows past it fails as it crosses it. `request` names the call in messages.
 */
async function readBody(response: IncomingMessage, maxBytes: number, request: string): Promise<Buffer> {
  const tooLarge = (): EngineApiError => new EngineApiError(`${request}: response body exceeded ${formatBytes(maxBytes)}`, response.statusCode, 'size');
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    const error = tooLarge();
    response.destroy(error);
    throw error;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof EngineApiError) throw error;
    // Node says only "aborted" when the connection ends mid-body.
    throw new EngineApiError(`${request}: the connection closed before the answer was complete (${describeError(error)})`, response.statusCode, 'cut');
  }
  return Buffer.concat(chunks);
}

/** Splits a log stream of a container without a TTY: 8-byte frame headers name the stream. */
export function demultiplex(data: Buffer): { stdout: Buffer; stderr: Buffer } {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= data.length) {
    const kind = data[offset];
    const size = data.readUInt32BE(offset + 4);
    const frame = data.subarray(offset + 8, offset + 8 + size);
    if (kind === 2) stderr.push(frame);
    else stdout.push(frame);
    offset += 8 + size;
  }
  return { stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr) };
}

/** The bounds of one request. */
interface RequestLimits {
  /** Silence allowed, in milliseconds. */
  idleMs: number;
  /** The whole exchange, from sending to the last byte of the answer; none for streams. */
  deadlineMs?: number;
}

export class EngineClient {
  private readonly agent: HttpAgent;
  /** The connections of the JSON calls, when the daemon is reached over a unix socket or plain TCP. */
  private readonly pool: ConnectionPool | undefined;
  private readonly idleMs: number;
  private readonly deadlineMs: number;
  private readonly maxBytes: number;
  /** How to end each request in flight, for when the signal aborts: one listener for them all. */
  private readonly inFlight = new Set<(reason: string) => void>();

  constructor(private readonly options: EngineClientOptions) {
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
    this.agent =
      options.protocol === 'https'
        ? new HttpsAgent({
            ...agentOptions,
            ...(options.ca ? { ca: options.ca } : {}),
            ...(options.cert ? { cert: options.cert } : {}),
            ...(options.key ? { key: options.key } : {}),
            ...(options.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
          })
        : new HttpAgent(agentOptions);
    const connect = options.connect;
    // The agent keeps and reuses these connections as it does sockets.
    if (connect) Object.assign(this.agent, { createConnection: () => connect() });
    const maxSockets = options.maxSockets ?? 64;
    if (!connect && options.protocol !== 'https') {
      if (options.socketPath) this.pool = new ConnectionPool({ socketPath: options.socketPath }, maxSockets);
      else if (options.host && options.port !== undefined && Number.isInteger(Number(options.port))) this.pool = new ConnectionPool({ host: options.host, port: Number(options.port) }, maxSockets);
    }
    this.idleMs = options.timeout ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.deadlineMs = options.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    options.signal?.addEventListener(
      'abort',
      () => {
        for (const end of [...this.inFlight]) end(describeError(options.signal?.reason));
      },
      { once: true },
    );
  }

  /** Ends the connections kept open for reuse (for `ssh`, their processes). */
  close(): void {
    this.agent.destroy();
    this.pool?.close();
  }

  /**
   * Sends one request, with an optional body (a JSON document, or a stream piped in as it comes),
   * and returns the response once its status is known. The bounds hold until the response is
   * read to its end: silence past `idleMs`, the whole exchange past `deadlineMs`, or the client's
   * signal end the request (and its response) with an EngineApiError naming the request.
   */
  private send(method: string, path: string, limits: RequestLimits, body?: { json: unknown } | { stream: Readable; contentType: string }): Promise<IncomingMessage> {
    const named = `${method} ${path}`;
    const signal = this.options.signal;
    const inFlight = this.inFlight;
    if (signal?.aborted) return Promise.reject(new EngineApiError(`${named}: ${describeError(signal.reason)}`, undefined, 'target'));
    const fullPath = `${this.options.version ? `/${this.options.version}` : ''}${path}`;
    const request = this.options.protocol === 'https' ? httpsRequest : httpRequest;
    const payload = body && 'json' in body ? Buffer.from(JSON.stringify(body.json)) : undefined;
    const headers: Record<string, string> = { Accept: 'application/json', Host: 'docker' };
    if (payload) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) });
    else if (body && 'stream' in body) headers['Content-Type'] = body.contentType;
    return new Promise((resolve, reject) => {
      let response: IncomingMessage | undefined;
      let settled = false;
      const outgoing = request(
        {
          method,
          path: fullPath,
          agent: this.agent,
          headers,
          ...(this.options.connect ? {} : this.options.socketPath ? { socketPath: this.options.socketPath } : { host: this.options.host, port: this.options.port }),
          timeout: limits.idleMs,
        },
        (incoming) => {
          response = incoming;
          incoming.once('close', release);
          resolve(incoming);
        },
      );
      // The response is ended first, with the reason, so its reader sees that and not "aborted".
      const fail = (error: EngineApiError): void => {
        if (settled) return;
        release();
        if (response && !response.complete) response.destroy(error);
        outgoing.destroy(error);
      };
      const onAbort = (reason: string): void => fail(new EngineApiError(`${named}: ${reason}`, undefined, 'target'));
      const deadline =
        limits.deadlineMs === undefined ? undefined : setTimeout(() => fail(new EngineApiError(`${named}: no complete answer within ${formatSeconds(limits.deadlineMs as number)}`, undefined, 'deadline')), limits.deadlineMs);
      function release(): void {
        settled = true;
        clearTimeout(deadline);
        inFlight.delete(onAbort);
      }
      inFlight.add(onAbort);
      outgoing.on('timeout', () => fail(new EngineApiError(`${named}: no data for ${formatSeconds(limits.idleMs)}`, undefined, 'idle')));
      outgoing.on('error', (error) => {
        release();
        reject(error);
      });
      if (payload) outgoing.end(payload);
      else if (body && 'stream' in body) {
        body.stream.on('error', (error) => outgoing.destroy(error));
        body.stream.pipe(outgoing);
      } else outgoing.end();
    });
  }

  /** The bounds of a JSON call, or of a call given its own (a wait, a stop, an import). */
  private jsonLimits(timeoutMs?: number): RequestLimits {
    return timeoutMs === undefined ? { idleMs: this.idleMs, deadlineMs: this.deadlineMs } : { idleMs: timeoutMs, deadlineMs: timeoutMs };
  }

  /** Throws the daemon's answer as an EngineApiError when its status is not 2xx. */
  private checkStatus(method: string, path: string, response: IncomingMessage | number, body: Buffer): void {
    const status = typeof response === 'number' ? response : (response.statusCode ?? 0);
    if (status >= 200 && status < 300) return;
    const message = daemonMessage(body.toString('utf8'));
    throw new EngineApiError(`${method} ${path}: HTTP ${status}${message ? `: ${message}` : ''}`, status);
  }

  /** Sends one request and parses the JSON answer; a status other than 2xx throws with the daemon's message. */
  private async json<T = Json>(method: string, path: string, body?: { json: unknown }, timeoutMs?: number): Promise<T> {
    const limits = this.jsonLimits(timeoutMs);
    let answer: Answer;
    if (this.pool !== undefined) {
      answer = await this.exchange(method, path, limits, body);
    } else {
      const response = await this.send(method, path, limits, body);
      answer = { status: response.statusCode ?? 0, body: await readBody(response, this.maxBytes, `${method} ${path}`) };
    }
    this.checkStatus(method, path, answer.status, answer.body);
    const text = answer.body.toString('utf8').trim();
    if (text === '' || text === 'OK') return text as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      // The parser's message quotes the start of the answer: the daemon's bytes, escaped.
      throw new EngineApiError(`${method} ${path}: the answer is not JSON (${quote(describeError(error))})`, answer.status);
    }
  }

  /**
   * One JSON call over the pool's connections, under the same bounds, signal and messages as
   * `send` and `readBody` give the others.
   */
  private exchange(method: string, path: string, limits: RequestLimits, body?: { json: unknown }): Promise<Answer> {
    const named = `${method} ${path}`;
    const signal = this.options.signal;
    if (signal?.aborted) return Promise.reject(new EngineApiError(`${named}: ${describeError(signal.reason)}`, undefined, 'target'));
    const fullPath = `${this.options.version ? `/${this.options.version}` : ''}${path}`;
    // What node:http refuses too: a path that would end the request line or split it.
    if (!/^\/[\x21-\x7e]*$/.test(fullPath)) return Promise.reject(new EngineApiError(`${quote(named)}: the request path holds characters a request line cannot carry`));
    const payload = body ? Buffer.from(JSON.stringify(body.json)) : undefined;
    const contentHeaders = payload ? `Content-Type: application/json\r\nContent-Length: ${payload.length}\r\n` : method === 'GET' ? '' : 'Content-Length: 0\r\n';
    const head = `${method} ${fullPath} HTTP/1.1\r\nHost: docker\r\nAccept: application/json\r\n${contentHeaders}\r\n`;
    // A GET may go out again when the daemon closed a kept-alive connection under it.
    const exchange = (this.pool as ConnectionPool).exchange(
      head,
      payload,
      { idleMs: limits.idleMs, deadlineMs: limits.deadlineMs, maxBytes: this.maxBytes },
      (bound) =>
        bound === 'idle' ? new EngineApiError(`${named}: no data for ${formatSeconds(limits.idleMs)}`, undefined, 'idle') : new EngineApiError(`${named}: no complete answer within ${formatSeconds(limits.deadlineMs as number)}`, undefined, 'deadline'),
      false,
      method === 'GET',
    );
    const onAbort = (reason: string): void => exchange.fail(new EngineApiError(`${named}: ${reason}`, undefined, 'target'));
    this.inFlight.add(onAbort);
    return exchange.answer.then(
      (answer) => {
        this.inFlight.delete(onAbort);
        return answer;
      },
      (error: unknown) => {
        this.inFlight.delete(onAbort);
        if (!(error instanceof ExchangeError)) throw error;
        if (error.kind === 'size') throw new EngineApiError(`${named}: response body exceeded ${formatBytes(this.maxBytes)}`, error.status, 'size');
        if (error.kind === 'cut') throw new EngineApiError(`${named}: ${error.message}`, error.status, 'cut');
        throw new EngineApiError(`${named}: the daemon's answer is not HTTP/1.1 as expected (${error.message})`, error.status);
      },
    );
  }

  /**
   * A stream of the response body (an image or container export). Only silence bounds it here:
   * an export may rightly last minutes, and its reader caps what it keeps.
   */
  stream(path: string): Promise<Readable> {
    return this.open(path);
  }

  private async open(path: string): Promise<IncomingMessage> {
    const response = await this.send('GET', path, { idleMs: this.idleMs });
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) this.checkStatus('GET', path, response, await readBody(response, this.maxBytes, `GET ${path}`));
    return response;
  }

  /**
   * The daemon's event stream (`GET /events`), JSON lines for as long as the daemon runs. Neither
   * a deadline nor the silence bound applies: a quiet host sends nothing for hours. A dead peer
   * is found by the agent's TCP keep-alive and the caller's heartbeat (see collect/events.ts).
   */
  async events(filters: Record<string, string[]>): Promise<IncomingMessage> {
    const path = `/events${query({ filters: JSON.stringify(filters) })}`;
    const response = await this.send('GET', path, { idleMs: 0 });
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) this.checkStatus('GET', '/events', response, await readBody(response, this.maxBytes, 'GET /events'));
    return response;
  }

  ping(): Promise<string> {
    return this.json<string>('GET', '/_ping');
  }
  version(): Promise<Json> {
    return this.json('GET', '/version');
  }
  info(): Promise<Json> {
    return this.json('GET', '/info');
  }
  listContainers(options: { all?: boolean } = {}): Promise<{ Id: string; Names?: string[]; Labels?: Record<string, string> | null }[]> {
    return this.json('GET', `/containers/json${query({ all: options.all })}`);
  }
  listImages(options: { all?: boolean } = {}): Promise<{ Id: string; RepoTags?: string[] | null }[]> {
    return this.json('GET', `/images/json${query({ all: options.all })}`);
  }
  listNetworks(): Promise<Json[]> {
    return this.json('GET', '/networks');
  }
  listVolumes(): Promise<{ Volumes?: Json[] | null }> {
    return this.json('GET', '/volumes');
  }
  swarmInspect(): Promise<Json> {
    return this.json('GET', '/swarm');
  }
  listNodes(): Promise<Json[]> {
    return this.json('GET', '/nodes');
  }
  listServices(): Promise<Json[]> {
    return this.json('GET', '/services');
  }
  inspectService(id: string): Promise<Json> {
    return this.json('GET', `/services/${encodeURIComponent(id)}`);
  }
  /** Creates a Swarm service from its spec; resolves with its id. */
  createService(spec: Json): Promise<{ ID: string; Warnings?: string[] | null }> {
    return this.json('POST', '/services/create', { json: spec });
  }
  removeService(id: string): Promise<unknown> {
    return this.json('DELETE', `/services/${encodeURIComponent(id)}`);
  }
  /** The tasks of a service, in any state. */
  listServiceTasks(serviceId: string): Promise<Json[]> {
    return this.json('GET', `/tasks${query({ filters: JSON.stringify({ service: [serviceId] }) })}`);
  }
  /**
   * A task's stdout so far, its frames demultiplexed, read whole up to the answer cap and within
   * `timeoutMs` (a node that does not answer leaves the manager waiting for its logs).
   */
  async taskLogs(id: string, timeoutMs: number): Promise<{ stdout: Buffer; stderr: Buffer }> {
    const path = `/tasks/${encodeURIComponent(id)}/logs${query({ stdout: true, stderr: true })}`;
    const response = await this.send('GET', path, { idleMs: timeoutMs, deadlineMs: timeoutMs });
    const raw = await readBody(response, this.maxBytes, `GET ${path}`);
    this.checkStatus('GET', path, response, raw);
    return demultiplex(raw);
  }

  getContainer(id: string): { inspect(): Promise<Json>; top(): Promise<{ Titles?: string[]; Processes?: string[][] }> } {
    const path = `/containers/${encodeURIComponent(id)}`;
    return {
      inspect: () => this.json('GET', `${path}/json`),
      top: () => this.json('GET', `${path}/top`),
    };
  }

  /** Creates a container (not started); `name` is optional. */
  createContainer(config: Json, name?: string): Promise<{ Id: string; Warnings?: string[] | null }> {
    return this.json('POST', `/containers/create${query({ name })}`, { json: config });
  }
  startContainer(id: string): Promise<unknown> {
    return this.json('POST', `/containers/${encodeURIComponent(id)}/start`);
  }
  /**
   * Waits until the container stops, for at most `timeoutMs`. Resolves with its exit code, or
   * undefined when it was still running then. (The daemon sends the headers at once and the
   * body when the container stops, so the deadline is a timer, not the socket's silence.)
   */
  async waitContainer(id: string, timeoutMs: number): Promise<number | undefined> {
    const path = `/containers/${encodeURIComponent(id)}/wait${query({ condition: 'not-running' })}`;
    const response = await this.send('POST', path, { idleMs: timeoutMs + 60_000 });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      response.destroy();
    }, timeoutMs);
    try {
      const raw = await readBody(response, this.maxBytes, `POST ${path}`);
      this.checkStatus('POST', path, response, raw);
      return (JSON.parse(raw.toString('utf8')) as { StatusCode?: number }).StatusCode ?? -1;
    } catch (error) {
      if (timedOut) return undefined;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
  /** Stops a container: SIGTERM (or its stop signal), then SIGKILL after `seconds`. */
  stopContainer(id: string, seconds: number): Promise<unknown> {
    return this.json('POST', `/containers/${encodeURIComponent(id)}/stop${query({ t: seconds })}`, undefined, (seconds + 30) * 1000);
  }
  removeContainer(id: string, options: { force?: boolean; volumes?: boolean } = {}): Promise<unknown> {
    return this.json('DELETE', `/containers/${encodeURIComponent(id)}${query({ force: options.force, v: options.volumes })}`);
  }
  /** The container's stdout and stderr so far, demultiplexed (containers without a TTY). */
  async containerLogs(id: string): Promise<{ stdout: Buffer; stderr: Buffer }> {
    const path = `/containers/${encodeURIComponent(id)}/logs${query({ stdout: true, stderr: true })}`;
    return demultiplex(await readBody(await this.open(path), this.maxBytes, `GET ${path}`));
  }
  /** The container's filesystem as a tar stream. */
  exportContainer(id: string): Promise<Readable> {
    return this.stream(`/containers/${encodeURIComponent(id)}/export`);
  }
  /**
   * Imports a root filesystem tar (streamed from `tar`) as an image `repository:tag`, with
   * Dockerfile `changes` (CMD, ENTRYPOINT, ENV, …) applied. Resolves with the new image's id.
   */
  async importImage(tar: Readable, options: { repository: string; tag: string; changes: string[]; timeoutMs?: number }): Promise<string> {
    const parameters = new URLSearchParams({ fromSrc: '-', repo: options.repository, tag: options.tag });
    for (const change of options.changes) parameters.append('changes', change);
    const path = `/images/create?${parameters.toString()}`;
    // The upload may rightly take long: only silence bounds it.
    const response = await this.send('POST', path, { idleMs: options.timeoutMs ?? 600_000 }, { stream: tar, contentType: 'application/x-tar' });
    const text = (await readBody(response, this.maxBytes, 'POST /images/create')).toString('utf8');
    const status = response.statusCode ?? 0;
    // The daemon answers with a stream of JSON progress messages; an error can come after a 200.
    let imageId = '';
    for (const line of text.split(/\r?\n/).filter((entry) => entry.trim() !== '')) {
      let message: { status?: string; error?: string; message?: string };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        message = { error: line.trim() };
      }
      if (message.error ?? message.message) throw new EngineApiError(`POST /images/create: ${quote(String(message.error ?? message.message))}`, status);
      if (message.status?.startsWith('sha256:')) imageId = message.status.trim();
    }
    if (status < 200 || status >= 300) throw new EngineApiError(`POST /images/create: HTTP ${status}`, status);
    return imageId;
  }

  getImage(reference: string): { inspect(): Promise<Json>; history(): Promise<Json[]>; get(): Promise<Readable> } {
    // Image names keep their slashes and colons in the path, as the daemon's router expects.
    const path = `/images/${encodeURI(reference).replace(/[?#]/g, (character) => encodeURIComponent(character))}`;
    return {
      inspect: () => this.json('GET', `${path}/json`),
      history: () => this.json('GET', `${path}/history`),
      get: () => this.stream(`${path}/get`),
    };
  }
}
