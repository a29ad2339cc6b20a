import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineApiError, EngineClient } from '../../src/collect/docker-api.js';

/** A stand-in daemon on a unix socket: answers a few paths, records what was asked. */
let server: Server;
let socketPath: string;
const asked: string[] = [];

beforeAll(async () => {
  socketPath = join(mkdtempSync(join(tmpdir(), 'da-engine-')), 'docker.sock');
  server = createServer((request, response) => {
    asked.push(`${request.method} ${request.url}`);
    if (request.url === '/_ping') return void response.end('OK');
    if (request.url === '/containers/json?all=true') return void response.end(JSON.stringify([{ Id: 'abc' }]));
    if (request.url === '/containers/gone/json') {
      response.statusCode = 404;
      return void response.end(JSON.stringify({ message: 'No such container: gone' }));
    }
    if (request.url === '/images/da-test/busybox:1/get') return void response.end('tar bytes');
    if (request.url === '/slow') return; // never answers
    response.statusCode = 500;
    response.end('boom');
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('EngineClient', () => {
  const client = () => new EngineClient({ socketPath, timeout: 300 });

  it('reads JSON documents and plain answers over a unix socket', async () => {
    await expect(client().ping()).resolves.toBe('OK');
    await expect(client().listContainers({ all: true })).resolves.toEqual([{ Id: 'abc' }]);
  });

  it('turns an error status into an EngineApiError carrying the status and the daemon message', async () => {
    const error = await client().getContainer('gone').inspect().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineApiError);
    expect(error).toMatchObject({ statusCode: 404, message: 'GET /containers/gone/json: HTTP 404: No such container: gone' });
  });

  it('keeps slashes and colons of an image name in the path and streams the export', async () => {
    const stream = await client().getImage('da-test/busybox:1').get();
    let body = '';
    for await (const chunk of stream) body += String(chunk);
    expect(body).toBe('tar bytes');
    expect(asked).toContain('GET /images/da-test/busybox:1/get');
  });

  it('gives up on a daemon that stops answering', async () => {
    await expect(client().stream('/slow')).rejects.toThrow('GET /slow: no data for 0.3 s');
  });
});
