/**
 * The webhook against receivers that misbehave: an answer that never ends, a redirect elsewhere.
 * Delivery always ends within the deadline, and neither notices nor the spool's file names carry
 * the URL's credentials, path or query.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookSink } from '../../src/audit/watch-webhook.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function receiver(handle: (request: IncomingMessage, response: ServerResponse) => void): Promise<number> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => handle(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as { port: number }).port;
}

const until = async (condition: () => boolean, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

async function sink(url: string, notices: string[]): Promise<{ sink: WebhookSink; directory: string }> {
  const directory = mkdtempSync(join(tmpdir(), 'hook-'));
  const opened = await WebhookSink.open({ url, spoolDirectory: join(directory, 'spool'), timeoutMs: 1_000, backoffInitialMs: 50, backoffMaxMs: 100, onNotice: (message) => notices.push(message) });
  cleanups.push(async () => {
    await opened.close();
    rmSync(directory, { recursive: true, force: true });
  });
  return { sink: opened, directory };
}

describe('the webhook against a hostile receiver', () => {
  it('takes a 2xx whose body never ends as delivered, reading at most 64 KiB of it, within the deadline', async () => {
    let requests = 0;
    const port = await receiver((_request, response) => {
      requests += 1;
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      const timer = setInterval(() => response.write('x'.repeat(16 * 1024)), 1);
      response.on('close', () => clearInterval(timer));
    });
    const notices: string[] = [];
    const { sink: hook } = await sink(`http://127.0.0.1:${port}/hook`, notices);
    await hook.push({ event: 'new', n: 1 });
    await until(() => hook.stats().delivered === 1, 5_000);
    expect(requests).toBe(1);
    expect(hook.stats().pending).toBe(0);
  });

  it('ends an answer whose body trickles forever at the deadline, and keeps trying after a 5xx', async () => {
    let requests = 0;
    const port = await receiver((_request, response) => {
      requests += 1;
      response.writeHead(requests === 1 ? 200 : 500);
      const timer = setInterval(() => response.write('.'), 50);
      response.on('close', () => clearInterval(timer));
    });
    const notices: string[] = [];
    const { sink: hook } = await sink(`http://127.0.0.1:${port}/hook`, notices);
    const started = Date.now();
    await hook.push({ event: 'new', n: 1 });
    await until(() => hook.stats().delivered + hook.stats().failures >= 1, 5_000);
    // The 1 s deadline ended the request, the answer's body included.
    expect(Date.now() - started).toBeLessThan(3_000);
    await hook.push({ event: 'new', n: 2 });
    await until(() => requests >= 3, 5_000);
    expect(hook.stats().pending).toBeGreaterThan(0);
  });

  it('names the receiver by scheme, host and port only, in notices, metrics and the default spool, whatever the URL holds', async () => {
    const port = await receiver((_request, response) => {
      response.writeHead(302, { Location: `http://elsewhere.invalid:${port}/x?token=leak2` });
      response.end();
    });
    const notices: string[] = [];
    const url = `http://alice:s3cret@127.0.0.1:${port}/hooks/SECRETPATH?token=SECRETTOKEN`;
    const { sink: hook, directory } = await sink(url, notices);
    await hook.push({ event: 'new', n: 1 });
    await until(() => notices.some((notice) => notice.includes('delivery failed')), 5_000);
    const said = `${notices.join('\n')}\n${JSON.stringify(hook.stats())}\n${readdirSync(join(directory, 'spool')).join('\n')}`;
    for (const secret of ['alice', 's3cret', 'SECRETPATH', 'SECRETTOKEN', 'leak2']) expect(said).not.toContain(secret);
    expect(hook.stats().receiver).toBe(`http://127.0.0.1:${port}`);
  });
});
