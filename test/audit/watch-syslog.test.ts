/**
 * The syslog sinks against receivers that misbehave: a TCP receiver that takes the connection but
 * never reads, and a local socket nobody reads (logger(1) then blocks). What waits to be sent stays
 * bounded; what does not fit is dropped and counted. Octet counts are bytes, multibyte text included.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SYSLOG_BUFFERED_BYTES, openSyslog, type SyslogSink } from '../../src/audit/watch-syslog.js';
import type { Finding } from '../../src/engine/report.js';
import type { WatchChange } from '../../src/report/watch.js';

const change = (name: string, message: string): WatchChange => ({
  event: 'new',
  at: '2026-12-07T21:00:30.014Z',
  finding: { ruleId: 'DA505', severity: 'critical', status: 'fail', subject: { kind: 'container', id: 'abc', name }, message, messageId: 'privileged' } as Finding,
  trigger: {},
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function listen(onSocket: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer(onSocket);
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

const until = async (condition: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** Splits RFC 6587 octet-counted frames, counting bytes. */
function frames(data: Buffer): string[] {
  const out: string[] = [];
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(32, offset);
    const length = Number(data.subarray(offset, space).toString('ascii'));
    out.push(data.subarray(space + 1, space + 1 + length).toString('utf8'));
    offset = space + 1 + length;
  }
  return out;
}

describe('syslog over TCP', () => {
  it('counts octets in bytes, so multibyte names and messages frame exactly', async () => {
    const received: Buffer[] = [];
    const { server, port } = await listen((socket) => socket.on('data', (chunk: Buffer) => received.push(chunk)));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const sink = openSyslog(`tcp://127.0.0.1:${port}`, () => undefined);
    const names = ['wéb', '日本語', 'emoji-😀', 'plain'];
    for (const name of names) sink.push(change(name, `message of ${name} – ü`));
    await until(() => frames(Buffer.concat(received)).length === names.length);
    await sink.close();
    const got = frames(Buffer.concat(received));
    expect(got.map((frame) => frame.split(': ')[0]?.split(' ').pop())).toEqual(names);
    expect(got.every((frame) => frame.startsWith('<26>1 '))).toBe(true);
  });

  it('keeps what waits for a receiver that never reads bounded: the rest is dropped and counted', async () => {
    const sockets: Socket[] = [];
    const { server, port } = await listen((socket) => {
      socket.pause();
      sockets.push(socket);
    });
    cleanups.push(() => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const notices: string[] = [];
    const sink: SyslogSink = openSyslog(`tcp://127.0.0.1:${port}`, (message) => notices.push(message));
    cleanups.push(() => sink.close());
    await until(() => sockets.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const long = 'x'.repeat(1800);
    // ~36 MB of messages: far more than the kernel's buffers and the cap together.
    for (let index = 0; index < 20_000; index += 1) sink.push(change(`c${index}`, long));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stats = sink.stats();
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.buffered).toBeLessThanOrEqual(MAX_SYSLOG_BUFFERED_BYTES + 4096);
    expect(notices.some((notice) => /dropped/.test(notice))).toBe(true);
  }, 30_000);
});

describe('syslog to a local socket through logger(1)', () => {
  it('drops and counts what does not fit while logger is blocked on a socket nobody reads, instead of buffering without end', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'da-syslog-'));
    const path = join(directory, 'log');
    // A datagram socket that is bound and never read: its queue fills, and logger's writes block.
    const holder = spawn('python3', ['-c', `import socket,time,sys\ns=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\ns.bind(${JSON.stringify(path)})\nprint('ok', flush=True)\ntime.sleep(60)`], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => void holder.kill('SIGKILL'));
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const notices: string[] = [];
    const sink = openSyslog(`unix://${path}`, (message) => notices.push(message));
    cleanups.push(() => Promise.race([sink.close(), new Promise<void>((resolve) => setTimeout(resolve, 3_000))]));
    const long = 'y'.repeat(1800);
    for (let index = 0; index < 20_000; index += 1) sink.push(change(`c${index}`, long));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stats = sink.stats();
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.buffered).toBeLessThanOrEqual(MAX_SYSLOG_BUFFERED_BYTES + 4096);
  }, 30_000);
});
