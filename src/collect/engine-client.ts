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

export class EngineClient {
  private readonly agent: HttpAgent;

  constructor(private readonly options: EngineClientOptions) {
    const agentOptions = { keepAlive: true, maxSockets: 64 };
    this.agent =
      options.protocol === 'https'
        ? new HttpsAgent({ ...agentOptions, ...(options.ca ? { ca: options.ca } : {}), ...(options.cert ? { cert: options.cert } : {}), ...(options.key ? { key: options.key } : {}) })
        : new HttpAgent(agentOptions);
  }

  /** Sends one request and returns the response once its status is known. */
  private send(method: string, path: string): Promise<IncomingMessage> {
    const fullPath = `${this.options.version ? `/${this.options.version}` : ''}${path}`;
    const request = this.options.protocol === 'https' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          method,
          path: fullPath,
          agent: this.agent,
          headers: { Accept: 'application/json', Host: 'docker' },
          ...(this.options.socketPath
            ? { socketPath: this.options.socketPath }
            : { host: this.options.host, port: this.options.port }),
          timeout: this.options.timeout ?? 60_000,
        },
        resolve,
      );
      outgoing.on('timeout', () => outgoing.destroy(new EngineApiError(`no answer to ${method} ${path} within ${(this.options.timeout ?? 60_000) / 1000} s`)));
      outgoing.on('error', reject);
      outgoing.end();
    });
  }

  private async json<T = Json>(method: string, path: string): Promise<T> {
    const response = await this.send(method, path);
    const body = await readBody(response);
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      let message = body.trim();
      try {
        message = (JSON.parse(body) as { message?: string }).message ?? message;
      } catch {
        // Not JSON: keep the text.
      }
      throw new EngineApiError(`${method} ${path}: HTTP ${status}${message ? `: ${message}` : ''}`, status);
    }
    if (body.trim() === '' || body.trim() === 'OK') return body.trim() as T;
    return JSON.parse(body) as T;
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
