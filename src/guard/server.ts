/**
 * The plugin's socket: Docker's plugin protocol (HTTP over a unix socket) in front of the pure
 * decision of decide.ts. Each request to the plugin is read up to a cap and within a deadline;
 * one that is larger or slower gets the answer for an unreadable request, which enforce mode
 * refuses.
 */
import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { UsageError, describeError } from '../errors.js';
import { decideRequest, decideUnreadable, type AuthzAnswer, type DecisionRecord, type GuardPolicy } from './decide.js';

/** Where dockerd looks for `--authorization-plugin=dockaudit`. */
export const DEFAULT_SOCKET = '/run/docker/plugins/dockaudit.sock';
/**
 * dockerd forwards a body of at most 1 MiB, base64 in a JSON document: 4 MiB holds any request
 * it sends with room to spare.
 */
export const DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** dockerd waits for its plugin; the guard answers well within a second or refuses. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

export interface GuardServerOptions {
  socket: string;
  policy: GuardPolicy;
  maxRequestBytes?: number;
  requestTimeoutMs?: number;
  /** Called once per judged request with the time the decision took, in milliseconds. */
  onDecision?: (record: DecisionRecord, milliseconds: number) => void;
}

export interface GuardServer {
  socket: string;
  /** Stops listening and removes the socket file. */
  close(): Promise<void>;
}

const CONTENT_TYPE = 'application/vnd.docker.plugins.v1.2+json';

function reply(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent || response.writableEnded) return;
  response.writeHead(status, { 'Content-Type': CONTENT_TYPE });
  response.end(JSON.stringify(body));
}

/** The body of a plugin request, or why it could not be read: over the cap, or not complete before the deadline. */
function readBody(request: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<{ text: string } | { problem: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let settled = false;
    const settle = (result: { text: string } | { problem: string }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => settle({ problem: `it did not arrive within ${timeoutMs} ms` }), timeoutMs);
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      settle({ problem: `it is larger than ${maxBytes} bytes` });
      request.resume();
      return;
    }
    request.on('data', (chunk: Buffer) => {
      if (settled) return;
      length += chunk.length;
      if (length > maxBytes) {
        settle({ problem: `it is larger than ${maxBytes} bytes` });
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => settle({ text: Buffer.concat(chunks, length).toString('utf8') }));
    request.on('error', (error) => settle({ problem: describeError(error) }));
    request.on('aborted', () => settle({ problem: 'the daemon closed the connection' }));
  });
}

function answerOf(options: GuardServerOptions, read: { text: string } | { problem: string }): AuthzAnswer {
  const started = performance.now();
  let decision;
  if ('problem' in read) {
    decision = decideUnreadable(options.policy, read.problem);
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(read.text) as unknown;
    } catch {
      parsed = undefined;
    }
    decision = parsed === undefined ? decideUnreadable(options.policy, 'it is not valid JSON') : decideRequest(options.policy, parsed);
  }
  if (decision.record) options.onDecision?.(decision.record, performance.now() - started);
  return decision.answer;
}

async function handle(options: GuardServerOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? '').split('?')[0];
  if (request.method !== 'POST') return reply(response, 405, { Err: 'only POST is served' });
  const read = await readBody(request, options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  switch (path) {
    case '/Plugin.Activate':
      return reply(response, 200, { Implements: ['authz'] });
    case '/AuthZPlugin.AuthZReq':
      return reply(response, 200, answerOf(options, read));
    case '/AuthZPlugin.AuthZRes':
      // Responses are not judged: what the guard refuses never reaches the daemon's handler.
      return reply(response, 200, { Allow: true, Msg: '', Err: '' });
    default:
      return reply(response, 404, { Err: `unknown plugin method ${path}` });
  }
}

/**
 * Makes room for the socket: creates its directory, removes a stale socket left by an earlier
 * run, and refuses to replace anything that is not a socket.
 */
function prepareSocketPath(socket: string): void {
  mkdirSync(dirname(socket), { recursive: true, mode: 0o755 });
  let stats;
  try {
    stats = lstatSync(socket);
  } catch {
    return;
  }
  if (!stats.isSocket()) throw new UsageError(`--socket ${socket} exists and is not a socket; not replacing it`);
  unlinkSync(socket);
}

/** Starts serving the plugin protocol on `options.socket`. */
export async function startGuardServer(options: GuardServerOptions): Promise<GuardServer> {
  prepareSocketPath(options.socket);
  const server: Server = createServer((request, response) => {
    handle(options, request, response).catch((error: unknown) => reply(response, 500, { Err: describeError(error) }));
  });
  // Whole requests within the deadline; idle keep-alive connections are dockerd's to reuse.
  server.requestTimeout = (options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS) + 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socket, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Only root (dockerd) talks to the plugin.
  chmodSync(options.socket, 0o600);
  return {
    socket: options.socket,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        try {
          unlinkSync(options.socket);
        } catch {
          // Already gone.
        }
      }),
  };
}
