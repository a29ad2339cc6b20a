/**
 * The bounds of the Engine API client against a daemon that misbehaves: answers that trickle,
 * never end, stop or are cut end with an error naming the request and the bound, in time and
 * without holding more than the cap; streams keep only their idle bound.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineApiError, EngineClient, formatBytes, formatSeconds } from '../../src/collect/docker-api.js';
import { startFaultDaemon, type FaultDaemon, type FaultDaemonOptions } from './fault-daemon.js';

let daemon: FaultDaemon | undefined;

afterEach(async () => {
  await daemon?.close();
  daemon = undefined;
});

async function start(options: FaultDaemonOptions): Promise<FaultDaemon> {
  daemon = await startFaultDaemon(options);
  return daemon;
}

async function failure(promise: Promise<unknown>): Promise<EngineApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EngineApiError);
  return error as EngineApiError;
}

describe('EngineClient bounds', () => {
  it('ends an answer that trickles in at the request deadline, naming the request', async () => {
    const { socketPath } = await start({ fault: (path) => (path === '/info' ? 'trickle' : undefined), trickleMs: 20 });
    const client = new EngineClient({ socketPath, requestTimeout: 300, timeout: 5_000 });
    const error = await failure(client.info());
    expect(error.message).toBe('GET /info: no complete answer within 0.3 s');
    expect(error.limit).toBe('deadline');
    // The connection was dropped, and the client still answers the next call.
    await expect(client.ping()).resolves.toBe('OK');
  });

  it('stops reading an answer that never ends at the size cap', async () => {
    const fault = await start({ fault: (path) => (path === '/info' ? 'endless' : undefined) });
    const client = new EngineClient({ socketPath: fault.socketPath, maxResponseBytes: 1 << 20 });
    const error = await failure(client.info());
    expect(error.message).toBe('GET /info: response body exceeded 1 MiB');
    expect(error.limit).toBe('size');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sent = fault.bytesSent();
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Nobody reads any more: what the server got out stops growing (socket buffers aside).
    expect(fault.bytesSent()).toBe(sent);
    expect(sent).toBeLessThan(16 << 20);
  });

  it('says an answer stalled after its headers, rather than "aborted"', async () => {
    const { socketPath } = await start({ fault: (path) => (path === '/version' ? 'stall' : undefined) });
    const error = await failure(new EngineClient({ socketPath, timeout: 200 }).version());
    expect(error.message).toBe('GET /version: no data for 0.2 s');
    expect(error.limit).toBe('idle');
  });

  it('says an answer was cut short when the connection closes mid-body', async () => {
    const { socketPath } = await start({ fault: (path) => (path === '/version' ? 'cut' : undefined) });
    const error = await failure(new EngineClient({ socketPath }).version());
    expect(error.message).toMatch(/^GET \/version: the connection closed before the answer was complete \(.+\)$/);
    expect(error.limit).toBe('cut');
  });

  it('ends requests in flight and sends no more once the target deadline aborts', async () => {
    const fault = await start({ fault: (path) => (path === '/info' ? 'stall' : undefined) });
    const deadline = new AbortController();
    const client = new EngineClient({ socketPath: fault.socketPath, signal: deadline.signal });
    const inFlight = failure(client.info());
    setTimeout(() => deadline.abort(new Error('the collection from here did not finish within 0.1 s')), 100);
    const error = await inFlight;
    expect(error.message).toBe('GET /info: the collection from here did not finish within 0.1 s');
    expect(error.limit).toBe('target');
    const asked = fault.requests.length;
    expect((await failure(client.version())).limit).toBe('target');
    expect(fault.requests).toHaveLength(asked);
  });

  it('keeps the daemon message of an error answer on one short line', async () => {
    const { socketPath } = await start({ fault: (path) => (path === '/info' ? { status: 500, message: `boom\n${'x'.repeat(1000)}` } : undefined) });
    const error = await failure(new EngineClient({ socketPath }).info());
    expect(error).toMatchObject({ statusCode: 500, message: 'GET /info: HTTP 500: boom' });
  });

  it('streams an export larger than the cap, and slower than the request deadline', async () => {
    const { socketPath } = await start({ fault: (path) => (path === '/images/slow/get' ? 'trickle' : undefined), trickleMs: 30 });
    const client = new EngineClient({ socketPath, maxResponseBytes: 1 << 20, requestTimeout: 100, timeout: 2_000 });
    let size = 0;
    for await (const chunk of await client.getImage('large').get()) size += (chunk as Buffer).length;
    expect(size).toBe(2 << 20);
    let text = '';
    for await (const chunk of await client.getImage('slow').get()) text += String(chunk);
    expect(text).toBe('tar bytes');
  });
});

describe('formatBytes and formatSeconds', () => {
  it('say sizes in the largest whole binary unit and durations in seconds', () => {
    expect([formatBytes(64 << 20), formatBytes(512 << 10), formatBytes(1000), formatBytes(2 * 2 ** 30)]).toEqual(['64 MiB', '512 KiB', '1000 bytes', '2 GiB']);
    expect([formatSeconds(30_000), formatSeconds(300), formatSeconds(1500)]).toEqual(['30 s', '0.3 s', '1.5 s']);
  });
});

describe('EngineClient against a daemon that writes what it likes', () => {
  const servers: Server[] = [];

  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
    const socketPath = join(mkdtempSync(join(tmpdir(), 'da-hostile-')), 'docker.sock');
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    return socketPath;
  }

  it('escapes control characters of the daemon in error messages, which stay on one line', async () => {
    const socketPath = await serve((request, response) => {
      if (request.url === '/info') {
        response.statusCode = 500;
        return void response.end(JSON.stringify({ message: 'boom\u001b[2J\rPASS all\u202e' }));
      }
      response.end('\u001b]0;owned\u0007 not json');
    });
    const client = new EngineClient({ socketPath });
    const status = await failure(client.info());
    expect(status.message).toBe('GET /info: HTTP 500: boom\\x1b[2J\\rPASS all\\u202e');
    const notJson = await failure(client.version());
    expect(notJson.message).toMatch(/^GET \/version: the answer is not JSON \(.*\\x1b\]0;owned\\x07.*\)$/);
    for (const error of [status, notJson]) expect(error.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
  });

  it('never lets a name given by the daemon add a header or split the request line', async () => {
    const seen: { url: string | undefined; headers: string[] }[] = [];
    const socketPath = await serve((request, response) => {
      seen.push({ url: request.url, headers: Object.keys(request.headers).sort() });
      response.end('{}');
    });
    const client = new EngineClient({ socketPath });
    await client.getImage('evil\r\nX-Injected: 1 ?#é').inspect();
    await client.getContainer('id\r\nX-Injected: 1').top();
    expect(seen).toEqual([
      { url: '/images/evil%0D%0AX-Injected:%201%20%3F%23%C3%A9/json', headers: ['accept', 'host'] },
      { url: '/containers/id%0D%0AX-Injected%3A%201/top', headers: ['accept', 'host'] },
    ]);
    // A version prefix that would split the request line is refused before anything is sent.
    const error = await failure(new EngineClient({ socketPath, version: 'v1.43 HTTP/1.1\r\nX-Injected: 1\r\n' }).info());
    expect(error.message).toBe('GET /info: the request path holds characters a request line cannot carry');
    expect(seen).toHaveLength(2);
  });

  it('ends a call waiting for a connection, as well as the one holding it, when the signal aborts', async () => {
    const socketPath = await serve(() => undefined);
    const deadline = new AbortController();
    const client = new EngineClient({ socketPath, maxSockets: 1, signal: deadline.signal, timeout: 10_000 });
    const calls = [failure(client.info()), failure(client.version())];
    setTimeout(() => deadline.abort(new Error('the collection did not finish within 0.1 s')), 100);
    const started = Date.now();
    const errors = await Promise.all(calls);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(errors.map((error) => [error.message, error.limit])).toEqual([
      ['GET /info: the collection did not finish within 0.1 s', 'target'],
      ['GET /version: the collection did not finish within 0.1 s', 'target'],
    ]);
    client.close();
  });

  it('sends a GET again when the daemon closes a kept-alive connection as the request goes out', async () => {
    let connections = 0;
    const socketPath = await serve((request, response) => {
      // Each connection carries one answer, and is closed without saying so.
      response.end(JSON.stringify({ url: request.url }), () => request.socket.end());
    });
    const client = new EngineClient({ socketPath, maxSockets: 2 });
    servers[0]?.on('connection', () => (connections += 1));
    const answers = await Promise.all(Array.from({ length: 12 }, (_, index) => client.getContainer(`c${index}`).inspect()));
    client.close();
    expect(answers.map((answer) => answer['url'])).toEqual(Array.from({ length: 12 }, (_, index) => `/containers/c${index}/json`));
    expect(connections).toBeGreaterThanOrEqual(12);
  });
});
