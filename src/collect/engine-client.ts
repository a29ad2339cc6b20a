/**
 * A small Docker Engine API client over node:http, with the calls dockaudit makes and the
 * method names dockerode uses for them.
 *
 * Why not dockerode itself: importing it loads gRPC and protobuf for BuildKit sessions,
 * 0.7 s of start-up on every audit, more than collecting 500 containers takes. dockaudit only
 * reads JSON documents and one export stream, which plain HTTP does in a few lines.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';

export interface EngineClientOptions {
  socketPath?: string;
  host?: string;
  port?: string | number;
  protocol?: 'http' | 'https';
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** Milliseconds a request may stay silent before it fails. */
  timeout?: number;
  /** API version prefix (`v1.41`); none by default, so the daemon answers with its own version. */
  version?: string;
}

/** An Engine API answer other than success. `statusCode` tells 404 (gone) from the rest. */
export class EngineApiError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
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

async function readBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
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

export class EngineClient {
  private readonly agent: HttpAgent;

  constructor(private readonly options: EngineClientOptions) {
    const agentOptions = { keepAlive: true, maxSockets: 64 };
    this.agent =
      options.protocol === 'https'
        ? new HttpsAgent({ ...agentOptions, ...(options.ca ? { ca: options.ca } : {}), ...(options.cert ? { cert: options.cert } : {}), ...(options.key ? { key: options.key } : {}) })
        : new HttpAgent(agentOptions);
  }

  /**
   * Sends one request, with an optional body (a JSON document, or a stream piped in as it comes),
   * and returns the response once its status is known. `timeout` overrides the client's for calls
   * that may rightly stay silent longer (waiting for a container, importing an image).
   */
  private send(method: string, path: string, body?: { json: unknown } | { stream: Readable; contentType: string }, timeout?: number): Promise<IncomingMessage> {
    const fullPath = `${this.options.version ? `/${this.options.version}` : ''}${path}`;
    const request = this.options.protocol === 'https' ? httpsRequest : httpRequest;
    const silence = timeout ?? this.options.timeout ?? 60_000;
    const payload = body && 'json' in body ? Buffer.from(JSON.stringify(body.json)) : undefined;
    const headers: Record<string, string> = { Accept: 'application/json', Host: 'docker' };
    if (payload) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) });
    else if (body && 'stream' in body) headers['Content-Type'] = body.contentType;
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          method,
          path: fullPath,
          agent: this.agent,
          headers,
          ...(this.options.socketPath ? { socketPath: this.options.socketPath } : { host: this.options.host, port: this.options.port }),
          timeout: silence,
        },
        resolve,
      );
      outgoing.on('timeout', () => outgoing.destroy(new EngineApiError(`no answer to ${method} ${path} within ${silence / 1000} s`)));
      outgoing.on('error', reject);
      if (payload) outgoing.end(payload);
      else if (body && 'stream' in body) {
        body.stream.on('error', (error) => outgoing.destroy(error));
        body.stream.pipe(outgoing);
      } else outgoing.end();
    });
  }

  /** Sends one request and parses the JSON answer; a status other than 2xx throws with the daemon's message. */
  private async json<T = Json>(method: string, path: string, body?: { json: unknown }, timeout?: number): Promise<T> {
    const response = await this.send(method, path, body, timeout);
    const text = await readBody(response);
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      let message = text.trim();
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {
        // Not JSON: keep the text.
      }
      throw new EngineApiError(`${method} ${path}: HTTP ${status}${message ? `: ${message}` : ''}`, status);
    }
    if (text.trim() === '' || text.trim() === 'OK') return text.trim() as T;
    return JSON.parse(text) as T;
  }

  /** A stream of the response body (for the image export). */
  async stream(path: string): Promise<Readable> {
    const response = await this.send('GET', path);
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      const body = await readBody(response);
      throw new EngineApiError(`GET ${path}: HTTP ${status}: ${body.trim()}`, status);
    }
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
  listContainers(options: { all?: boolean } = {}): Promise<{ Id: string; Names?: string[] }[]> {
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
    const response = await this.send('POST', `/containers/${encodeURIComponent(id)}/wait${query({ condition: 'not-running' })}`, undefined, timeoutMs + 60_000);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      response.destroy();
    }, timeoutMs);
    try {
      const text = await readBody(response);
      const status = response.statusCode ?? 0;
      if (status < 200 || status >= 300) throw new EngineApiError(`POST /containers/${id}/wait: HTTP ${status}: ${text.trim()}`, status);
      return (JSON.parse(text) as { StatusCode?: number }).StatusCode ?? -1;
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
    const response = await this.stream(`/containers/${encodeURIComponent(id)}/logs${query({ stdout: true, stderr: true })}`);
    const chunks: Buffer[] = [];
    for await (const chunk of response as AsyncIterable<Buffer>) chunks.push(chunk);
    return demultiplex(Buffer.concat(chunks));
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
    const response = await this.send('POST', path, { stream: tar, contentType: 'application/x-tar' }, options.timeoutMs ?? 600_000);
    const text = await readBody(response);
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
      if (message.error ?? message.message) throw new EngineApiError(`POST /images/create: ${message.error ?? message.message}`, status);
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
