/** The Engine API calls slim added, against a stand-in daemon on a unix socket. */
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineApiError, EngineClient, demultiplex } from '../../src/collect/docker-api.js';

let server: Server;
let socketPath: string;
const received: { method?: string; url?: string; body: string; contentType?: string }[] = [];

function frame(stream: number, text: string): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(Buffer.byteLength(text), 4);
  return Buffer.concat([header, Buffer.from(text)]);
}

beforeAll(async () => {
  socketPath = join(mkdtempSync(join(tmpdir(), 'da-slim-engine-')), 'docker.sock');
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method, url: request.url, body: Buffer.concat(chunks).toString(), contentType: request.headers['content-type'] });
      const url = request.url ?? '';
      if (url.startsWith('/containers/create')) return void response.end(JSON.stringify({ Id: 'c1', Warnings: [] }));
      if (url === '/containers/c1/logs?stdout=true&stderr=true') return void response.end(Buffer.concat([frame(1, 'out 1\n'), frame(2, 'err\n'), frame(1, 'out 2\n')]));
      if (url.startsWith('/containers/fast/wait')) return void response.end(JSON.stringify({ StatusCode: 3 }));
      if (url.startsWith('/containers/slow/wait')) {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.flushHeaders();
        return; // the body comes when the container stops: never, here
      }
      if (url.startsWith('/images/create') && url.includes('repo=bad')) return void response.end('{"status":"Loading"}\n{"errorDetail":{"message":"bad tar"},"error":"bad tar"}\n');
      if (url.startsWith('/images/create')) return void response.end('{"status":"sha256:abc"}\n');
      response.statusCode = 404;
      response.end(JSON.stringify({ message: 'No such thing' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const client = () => new EngineClient({ socketPath, timeout: 2_000 });

describe('EngineClient calls for slim', () => {
  it('creates a container with a JSON body', async () => {
    await expect(client().createContainer({ Image: 'x' }, 'n1')).resolves.toMatchObject({ Id: 'c1' });
    const request = received.find((entry) => entry.url === '/containers/create?name=n1');
    expect(request).toMatchObject({ method: 'POST', contentType: 'application/json' });
    expect(JSON.parse(request?.body ?? '')).toEqual({ Image: 'x' });
  });

  it('splits stdout from stderr in the logs', async () => {
    const logs = await client().containerLogs('c1');
    expect(logs.stdout.toString()).toBe('out 1\nout 2\n');
    expect(logs.stderr.toString()).toBe('err\n');
    expect(demultiplex(Buffer.alloc(0)).stdout.length).toBe(0);
  });

  it('waits for an exit code, and gives up at the deadline', async () => {
    await expect(client().waitContainer('fast', 1_000)).resolves.toBe(3);
    const started = Date.now();
    await expect(client().waitContainer('slow', 300)).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('streams a tar into an import and reads the image id or the error from the progress stream', async () => {
    const id = await client().importImage(Readable.from([Buffer.from('tar bytes')]), { repository: 'slim', tag: '1', changes: ['CMD ["a"]', 'ENV A="b"'] });
    expect(id).toBe('sha256:abc');
    const request = received.find((entry) => entry.url?.startsWith('/images/create?fromSrc=-&repo=slim'));
    expect(request?.body).toBe('tar bytes');
    expect(request?.contentType).toBe('application/x-tar');
    expect(new URLSearchParams(request?.url?.split('?')[1]).getAll('changes')).toEqual(['CMD ["a"]', 'ENV A="b"']);
    await expect(client().importImage(Readable.from([Buffer.from('x')]), { repository: 'bad', tag: '1', changes: [] })).rejects.toThrow(/bad tar/);
  });

  it('turns a 404 into an EngineApiError with the status', async () => {
    const error = await client().removeContainer('gone').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineApiError);
    expect((error as EngineApiError).statusCode).toBe(404);
  });
});
