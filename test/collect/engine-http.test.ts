/**
 * The lean HTTP/1.1 exchange of the Engine API's JSON calls: the answer parser gives the same
 * answer however the bytes are split, refuses what is not HTTP as the daemon speaks it and never
 * holds more than its caps; the pool reuses connections, opens no more than its bound, and drops
 * a connection that failed or that the daemon closes.
 */
import { createServer, type Server } from 'node:http';
import { spawn } from 'node:child_process';
import { createConnection, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { AnswerParser, ConnectionPool, ExchangeError, MAX_HEAD_BYTES, type Answer } from '../../src/collect/engine-http.js';

/** Feeds `bytes` to a parser in the pieces `cuts` (offsets) make; the answer, or what it threw. */
function parse(bytes: Buffer, cuts: number[] = [], maxBytes = 1 << 20, close = false): Answer | ExchangeError | 'incomplete' {
  const parser = new AnswerParser(maxBytes);
  const offsets = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  let start = 0;
  try {
    for (const end of [...offsets, bytes.length]) {
      const step = parser.push(bytes.subarray(start, end));
      start = end;
      if (step.done) return step.answer;
    }
    return close ? parser.end() : 'incomplete';
  } catch (error) {
    if (error instanceof ExchangeError) return error;
    throw error;
  }
}

function chunked(body: string, sizes: number[]): string {
  let out = '';
  let at = 0;
  for (const size of sizes) {
    if (at >= body.length) break;
    const piece = body.slice(at, at + Math.max(1, size));
    at += piece.length;
    out += `${Buffer.byteLength(piece).toString(16)}\r\n${piece}\r\n`;
  }
  if (at < body.length) out += `${Buffer.byteLength(body.slice(at)).toString(16)}\r\n${body.slice(at)}\r\n`;
  return `${out}0\r\n\r\n`;
}

describe('AnswerParser', () => {
  it('gives the same status and body however a Content-Length or chunked answer is split', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.array(fc.nat(), { maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 10 }), fc.boolean(), (body, cuts, sizes, useChunks) => {
        const text = useChunks
          ? `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunked(body, sizes)}`
          : `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
        const answer = parse(Buffer.from(text), cuts);
        expect(answer).toEqual({ status: 200, body: Buffer.from(body) });
      }),
    );
  });

  it('reads a body to the close when the answer says neither its length nor chunked, and not before', () => {
    const bytes = Buffer.from('HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nboom');
    expect(parse(bytes)).toBe('incomplete');
    expect(parse(bytes, [40, 70], 1 << 20, true)).toEqual({ status: 500, body: Buffer.from('boom') });
  });

  it('says an answer cut short by the close is cut, with the status when it was read', () => {
    const headless = parse(Buffer.from('HTTP/1.1 200 OK\r\nContent-'), [], 1 << 20, true) as ExchangeError;
    expect(headless).toMatchObject({ kind: 'cut', status: undefined });
    expect(headless.message).toContain('before the headers ended');
    const short = parse(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345'), [], 1 << 20, true) as ExchangeError;
    expect(short).toMatchObject({ kind: 'cut', status: 200 });
    expect(short.message).toContain('after 5 bytes of the body');
    expect(parse(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc'), [], 1 << 20, true)).toMatchObject({ kind: 'cut', status: 200 });
  });

  it('refuses a body over the cap, declared or as it grows, chunked or not', () => {
    expect(parse(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n'), [], 10)).toMatchObject({ kind: 'size', status: 200 });
    expect(parse(Buffer.from(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${chunked('x'.repeat(11), [4, 4, 4])}`), [], 10)).toMatchObject({ kind: 'size' });
    expect(parse(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffff\r\n'), [], 10)).toMatchObject({ kind: 'size' });
    expect(parse(Buffer.from(`HTTP/1.1 200 OK\r\n\r\n${'y'.repeat(11)}`), [3, 30], 10)).toMatchObject({ kind: 'size' });
    expect(parse(Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n${'z'.repeat(10)}`), [], 10)).toEqual({ status: 200, body: Buffer.from('z'.repeat(10)) });
    // The cap is on the body as decoded: the chunk-size lines and extensions around it do not count.
    const framed = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${'1;ext=1\r\nz\r\n'.repeat(10)}0\r\nX-T: 1\r\n\r\n`;
    expect(parse(Buffer.from(framed), [7, 60, 61, 99], 10)).toEqual({ status: 200, body: Buffer.from('z'.repeat(10)) });
  });

  it('refuses what is not HTTP/1.1 as the daemon speaks it', () => {
    const malformed = [
      'SSH-2.0-OpenSSH\r\n\r\n',
      'HTTP/2 200\r\n\r\n',
      'HTTP/1.1 200 OK\r\nno colon here\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY0\r\n\r\n',
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: tcp\r\n\r\n',
    ];
    for (const text of malformed) expect(parse(Buffer.from(text)), JSON.stringify(text)).toMatchObject({ kind: 'malformed' });
  });

  it('bounds the headers, a chunk-size line and the trailers, complete or still coming', () => {
    const long = `HTTP/1.1 200 OK\r\nX-Long: ${'a'.repeat(MAX_HEAD_BYTES)}`;
    expect(parse(Buffer.from(long))).toMatchObject({ kind: 'malformed' });
    expect(parse(Buffer.from(`${long}\r\n\r\n`))).toMatchObject({ kind: 'malformed' });
    expect(parse(Buffer.from(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;${'e'.repeat(2000)}`))).toMatchObject({ kind: 'malformed' });
    expect(parse(Buffer.from(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: ${'t'.repeat(MAX_HEAD_BYTES)}`))).toMatchObject({ kind: 'malformed' });
  });

  it('skips an interim 100 answer, reads trailers, and knows answers without a body', () => {
    expect(parse(Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}'))).toEqual({ status: 201, body: Buffer.from('{}') });
    expect(parse(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-Trailer: 1\r\n\r\n'))).toEqual({ status: 200, body: Buffer.from('{}') });
    expect(parse(Buffer.from('HTTP/1.1 204 No Content\r\n\r\n'))).toEqual({ status: 204, body: Buffer.alloc(0) });
    expect(parse(Buffer.from('HTTP/1.1 304 Not Modified\r\n\r\n'))).toEqual({ status: 304, body: Buffer.alloc(0) });
  });

  it('says whether the connection may carry another exchange', () => {
    const step = (text: string) => new AnswerParser(100).push(Buffer.from(text));
    expect(step('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')).toMatchObject({ done: true, reusable: true, extra: false });
    expect(step('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')).toMatchObject({ done: true, reusable: false });
    expect(step('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n')).toMatchObject({ done: true, reusable: false });
    expect(step('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1')).toMatchObject({ done: true, extra: true });
  });

  it('takes time linear in the size of headers and trailers that come a few bytes at a time', () => {
    const time = (bytes: number, where: 'headers' | 'trailers'): number => {
      const fields = 'X-F: v\r\n'.repeat(Math.floor(bytes / 8));
      const text = where === 'headers' ? `HTTP/1.1 200 OK\r\n${fields}Content-Length: 0\r\n\r\n` : `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n${fields}\r\n`;
      const data = Buffer.from(text);
      const start = process.cpuUsage();
      const parser = new AnswerParser(1 << 20);
      let done = false;
      for (let at = 0; at < data.length; at += 3) done = parser.push(data.subarray(at, at + 3)).done;
      const used = process.cpuUsage(start);
      expect(done).toBe(true);
      return used.user + used.system;
    };
    for (const where of ['headers', 'trailers'] as const) {
      time(4000, where);
      // The least of three each: a busy machine inflates single runs.
      const best = (bytes: number): number => Math.min(time(bytes, where), time(bytes, where), time(bytes, where));
      const small = Math.max(best(15_000), 1000);
      const large = best(60_000);
      expect(large / small, where).toBeLessThan(8);
    }
  });

  it('bounds interim answers together: an endless stream of 100 Continue fails, however it is split', () => {
    const interim = 'HTTP/1.1 100 Continue\r\n\r\n';
    const endless = Buffer.from(interim.repeat(Math.ceil((2 * MAX_HEAD_BYTES) / interim.length)));
    expect(parse(endless)).toMatchObject({ kind: 'malformed' });
    expect(parse(endless, Array.from({ length: endless.length }, (_, at) => at))).toMatchObject({ kind: 'malformed' });
    // A few interim answers are still skipped.
    expect(parse(Buffer.from(`${interim.repeat(3)}HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}`), [5, 30, 61])).toEqual({ status: 200, body: Buffer.from('{}') });
  });

  it('holds memory in proportion to the decoded body, not to the chunk-size lines around it', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // One-byte chunks, each behind a 1000-byte chunk extension, in socket-sized reads.
    const record = `1;${'e'.repeat(1000)}\r\nx\r\n`;
    const read = Buffer.from(record.repeat(Math.floor(65536 / record.length)));
    const parser = new AnswerParser(1 << 20);
    parser.push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'));
    gc();
    const before = process.memoryUsage().arrayBuffers;
    for (let reads = 0; reads < 512; reads += 1) {
      const copy = Buffer.allocUnsafeSlow(read.length);
      read.copy(copy);
      expect(parser.push(copy).done).toBe(false);
    }
    gc();
    // 32 MiB came for 33 KiB of body.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(4 << 20);
    expect(parser.push(Buffer.from('0\r\n\r\n'))).toMatchObject({ done: true, answer: { body: Buffer.from('x'.repeat(512 * Math.floor(65536 / record.length))) } });
  });

  it('says a connection is not reusable when any Connection header lists close', () => {
    const step = (text: string) => new AnswerParser(100).push(Buffer.from(text));
    expect(step('HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 0\r\n\r\n')).toMatchObject({ done: true, reusable: false });
    expect(step('HTTP/1.1 200 OK\r\nConnection: close\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n')).toMatchObject({ done: true, reusable: false });
    expect(step('HTTP/1.1 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n')).toMatchObject({ done: true, reusable: true });
  });

  it('refuses a folded header line or a header name with spaces, and escapes what it quotes', () => {
    expect(parse(Buffer.from('HTTP/1.1 200 OK\r\nX-A: 1\r\n Transfer-Encoding: chunked\r\n\r\n'))).toMatchObject({ kind: 'malformed' });
    expect(parse(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\n{}'))).toMatchObject({ kind: 'malformed' });
    const quoted = parse(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: x\x1b[2J\x07\n\r\n\r\n')) as ExchangeError;
    expect(quoted.kind).toBe('malformed');
    expect(quoted.message).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(quoted.message).toContain('x\\x1b[2J\\x07');
  });

  it('takes time linear in the size of a chunked answer of tiny chunks', () => {
    const time = (chunks: number): number => {
      const body = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${'1\r\nx\r\n'.repeat(chunks)}0\r\n\r\n`;
      const bytes = Buffer.from(body);
      const start = process.cpuUsage();
      // Delivered in socket-sized pieces, as a connection would.
      const parser = new AnswerParser(1 << 26);
      for (let at = 0; at < bytes.length; at += 65536) parser.push(bytes.subarray(at, at + 65536));
      const used = process.cpuUsage(start);
      return used.user + used.system;
    };
    time(20_000);
    const best = (chunks: number): number => Math.min(time(chunks), time(chunks), time(chunks));
    const small = Math.max(best(50_000), 1000);
    const large = best(200_000);
    expect(large / small).toBeLessThan(8);
  });
});

describe('ConnectionPool', () => {
  let directory: string | undefined;
  const servers: (Server | NetServer)[] = [];

  afterEach(async () => {
    for (const server of servers.splice(0)) {
      if ('closeAllConnections' in server) server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });

  function socketPath(): string {
    directory = mkdtempSync(join(tmpdir(), 'da-pool-'));
    return join(directory, 'engine.sock');
  }

  const limits = { idleMs: 2000, deadlineMs: 5000, maxBytes: 1 << 20 };
  const timeout = (bound: 'idle' | 'deadline') => new Error(`timed out: ${bound}`);
  const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: docker\r\n\r\n`;

  it('runs many exchanges over at most its bound of connections, reused, node:http answering', async () => {
    const path = socketPath();
    const connections = new Set<Socket>();
    let inFlight = 0;
    let mostInFlight = 0;
    const server = createServer((request, response) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        // Small answers get a Content-Length from node:http, the long ones are chunked.
        if (request.url === '/long') {
          response.write('x'.repeat(5000));
          response.end('y'.repeat(5000));
        } else response.end(JSON.stringify({ url: request.url }));
      }, 2);
    });
    server.on('connection', (socket) => connections.add(socket));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const pool = new ConnectionPool({ socketPath: path }, 4);
    const answers = await Promise.all(Array.from({ length: 60 }, (_, index) => pool.exchange(get(index % 3 === 0 ? '/long' : `/n/${index}`), undefined, limits, timeout).answer));
    pool.close();
    expect(answers.map((answer) => answer.status)).toEqual(Array(60).fill(200));
    expect(answers[1]?.body.toString()).toBe('{"url":"/n/1"}');
    expect(answers[0]?.body.toString()).toBe(`${'x'.repeat(5000)}${'y'.repeat(5000)}`);
    expect(connections.size).toBeLessThanOrEqual(4);
    expect(mostInFlight).toBeLessThanOrEqual(4);
  });

  it('sends a payload after the head, and drops a connection the daemon closes while it is idle', async () => {
    const path = socketPath();
    const bodies: string[] = [];
    let connections = 0;
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        bodies.push(body);
        response.end('{}');
        // The daemon ends each connection once idle: the next exchange needs a new one.
        response.on('finish', () => setTimeout(() => request.socket.destroy(), 10));
      });
    });
    server.on('connection', () => (connections += 1));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const pool = new ConnectionPool({ socketPath: path }, 2);
    const payload = Buffer.from('{"a":1}');
    const post = `POST /create HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n`;
    await pool.exchange(post, payload, limits, timeout).answer;
    await new Promise((resolve) => setTimeout(resolve, 60));
    await expect(pool.exchange(get('/again'), undefined, limits, timeout).answer).resolves.toMatchObject({ status: 200 });
    pool.close();
    expect(bodies[0]).toBe('{"a":1}');
    expect(connections).toBe(2);
  });

  it('fails an exchange on silence and on its deadline, and the next one runs on a new connection', async () => {
    const path = socketPath();
    let connections = 0;
    const server = createNetServer((socket) => {
      connections += 1;
      socket.on('data', (data) => {
        const text = data.toString();
        if (text.startsWith('GET /silent')) return;
        if (text.startsWith('GET /trickle')) {
          socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n');
          const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write('x')), 20);
          socket.on('close', () => clearInterval(timer));
          return;
        }
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}');
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const pool = new ConnectionPool({ socketPath: path }, 1);
    await expect(pool.exchange(get('/silent'), undefined, { ...limits, idleMs: 100 }, timeout).answer).rejects.toThrow('timed out: idle');
    await expect(pool.exchange(get('/trickle'), undefined, { ...limits, idleMs: 100, deadlineMs: 300 }, timeout).answer).rejects.toThrow('timed out: deadline');
    await expect(pool.exchange(get('/ok'), undefined, limits, timeout).answer).resolves.toEqual({ status: 200, body: Buffer.from('{}') });
    const failed = pool.exchange(get('/silent'), undefined, limits, timeout);
    failed.fail(new Error('aborted by the caller'));
    await expect(failed.answer).rejects.toThrow('aborted by the caller');
    pool.close();
    // A new connection after each failure; the exchange ended before it was sent took none of its own.
    expect(connections).toBe(3);
  });

  it('does not reuse a connection whose request was still being written when the answer came', async () => {
    const path = socketPath();
    let connections = 0;
    const accepted: Socket[] = [];
    const server = createNetServer((socket) => {
      connections += 1;
      accepted.push(socket);
      // Answers at the first bytes, then reads no more: what is left of the payload stays unread.
      socket.once('data', () => {
        socket.write('HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\n\r\n{}');
        socket.pause();
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const pool = new ConnectionPool({ socketPath: path }, 1);
    const payload = Buffer.alloc(16 << 20, 'p');
    const post = `POST /build HTTP/1.1\r\nHost: docker\r\nContent-Length: ${payload.length}\r\n\r\n`;
    await expect(pool.exchange(post, payload, limits, timeout).answer).resolves.toMatchObject({ status: 400 });
    const next = pool.exchange(get('/next'), undefined, { ...limits, idleMs: 500 }, timeout).answer;
    await next.catch(() => undefined);
    pool.close();
    for (const socket of accepted) socket.destroy();
    await expect(next).resolves.toMatchObject({ status: 400 });
    expect(connections).toBe(2);
  });

  it('sends a GET again on a new connection when the daemon closed the reused one before answering, never a POST', async () => {
    const path = socketPath();
    let connections = 0;
    const server = createNetServer((socket) => {
      connections += 1;
      // One answer per connection, then the connection ends without a word of warning.
      socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}'));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const pool = new ConnectionPool({ socketPath: path }, 1);
    // With one connection, each exchange gets the one the previous answer came on.
    const answers = await Promise.all(Array.from({ length: 6 }, (_, index) => pool.exchange(get(`/n/${index}`), undefined, limits, timeout, false, true).answer));
    expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(200));
    // The last connection, idle, is dropped as the daemon ends it; then a POST that got a
    // connection as it closed fails rather than being sent twice.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const post = 'POST /containers/create HTTP/1.1\r\nHost: docker\r\nContent-Length: 0\r\n\r\n';
    const [first, second] = await Promise.allSettled([pool.exchange(post, undefined, limits, timeout).answer, pool.exchange(post, undefined, limits, timeout).answer]);
    pool.close();
    expect(first).toMatchObject({ status: 'fulfilled' });
    expect(second).toMatchObject({ status: 'rejected', reason: { kind: 'cut' } });
    expect(connections).toBe(7);
  });

  it('ends exchanges in flight and waiting on close, and leaves no timer or connection keeping the process alive', async () => {
    const path = socketPath();
    const accepted: Socket[] = [];
    const server = createNetServer((socket) => {
      accepted.push(socket);
      // The daemon's side of a connection is not the client's to count.
      socket.unref();
      socket.on('data', (data) => {
        const text = data.toString();
        if (text.startsWith('GET /ok')) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}');
        else if (text.startsWith('GET /big')) socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 4096\r\n\r\n${'x'.repeat(4096)}`);
        else if (text.startsWith('GET /bad')) socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n');
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(path, resolve));
    // What keeps the event loop alive besides the test's own: timers and sockets.
    const alive = (): string[] => process.getActiveResourcesInfo().filter((kind) => /Timeout|Pipe|TCP/.test(kind));
    const before = alive();
    /** The resources alive now that were not before. */
    const added = (): string[] => {
      const left = [...before];
      return alive().filter((kind) => {
        const at = left.indexOf(kind);
        if (at === -1) return true;
        left.splice(at, 1);
        return false;
      });
    };
    const pool = new ConnectionPool({ socketPath: path }, 2);
    // Each way an exchange ends: answered, silent, past its deadline, too large, malformed, failed by the caller.
    await pool.exchange(get('/ok'), undefined, limits, timeout).answer;
    await expect(pool.exchange(get('/silent'), undefined, { ...limits, idleMs: 50 }, timeout).answer).rejects.toThrow('idle');
    await expect(pool.exchange(get('/silent'), undefined, { ...limits, idleMs: 5000, deadlineMs: 50 }, timeout).answer).rejects.toThrow('deadline');
    await expect(pool.exchange(get('/big'), undefined, { ...limits, maxBytes: 100 }, timeout).answer).rejects.toMatchObject({ kind: 'size' });
    await expect(pool.exchange(get('/bad'), undefined, limits, timeout).answer).rejects.toMatchObject({ kind: 'malformed' });
    const failed = pool.exchange(get('/silent'), undefined, limits, timeout);
    failed.fail(new Error('aborted'));
    await expect(failed.answer).rejects.toThrow('aborted');
    await new Promise((resolve) => setTimeout(resolve, 20));
    // An idle connection is kept, but keeps nothing alive.
    expect(added()).toEqual([]);
    // Two exchanges in flight, two waiting: close ends them all at once.
    const pending = Array.from({ length: 4 }, () => pool.exchange(get('/silent'), undefined, limits, timeout).answer);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    pool.close();
    const outcomes = await Promise.allSettled(pending);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outcomes.map((outcome) => outcome.status === 'rejected' && String(outcome.reason))).toEqual(Array(4).fill('Error: the client was closed'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(added()).toEqual([]);
    for (const socket of accepted) socket.destroy();
  });

  it('keeps its count of connections within the bound whatever the daemon does, and back to none after close', async () => {
    const path = socketPath();
    let live = 0;
    const server = createNetServer((socket) => {
      live += 1;
      socket.on('close', () => (live -= 1));
      socket.on('error', () => undefined);
      socket.on('data', (data) => {
        const kind = /^GET \/(\w+)/.exec(data.toString())?.[1];
        const ok = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}';
        if (kind === 'ok') socket.write(ok);
        else if (kind === 'close') socket.end(ok);
        else if (kind === 'said') socket.write(`HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}`);
        else if (kind === 'extra') socket.write(`${ok}HTTP/1.1 200 OK\r\n`);
        else if (kind === 'unasked') {
          socket.write(ok);
          setTimeout(() => socket.writable && socket.write('junk'), 2);
        } else if (kind === 'half') socket.end('HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n{"');
        else if (kind === 'garbage') socket.write('SSH-2.0-OpenSSH\r\n\r\n');
        else if (kind === 'reset') socket.destroy();
        else if (kind === 'late') setTimeout(() => socket.writable && socket.write(ok), 5);
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const pool = new ConnectionPool({ socketPath: path }, 3);
    const counts: number[] = [];
    const sampler = setInterval(() => counts.push((pool as unknown as { open: number }).open), 1);
    const kinds = ['ok', 'close', 'said', 'extra', 'unasked', 'half', 'garbage', 'reset', 'late', 'silent'];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, (_, index) => pool.exchange(get(`/${kinds[(index * 7) % kinds.length]}`), undefined, { ...limits, idleMs: 50 }, timeout, false, index % 2 === 0).answer),
    ).finally(() => {
      clearInterval(sampler);
      pool.close();
    });
    // Every answer that came whole was read, however long it waited for a connection, except
    // where unasked bytes came on a connection just handed on (they read as its answer); the
    // others failed, none hung.
    const kindOf = (index: number): string => kinds[(index * 7) % kinds.length] as string;
    const missed = outcomes.flatMap((outcome, index) => (outcome.status === 'rejected' && ['ok', 'close', 'said', 'extra', 'unasked', 'late'].includes(kindOf(index)) ? [outcome.reason as Error] : []));
    expect(missed.length).toBeLessThanOrEqual(outcomes.filter((_, index) => kindOf(index) === 'unasked').length);
    for (const error of missed) expect(error).toMatchObject({ kind: 'malformed', message: 'not an HTTP/1.x status line' });
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...counts)).toBeLessThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((pool as unknown as { open: number }).open, 'pool').toBe(0);
    expect(live, 'live').toBe(0);
  });

  it('fails every exchange, without hanging, when no connection can be made', async () => {
    const pool = new ConnectionPool({ socketPath: join(tmpdir(), `da-absent-${process.pid}.sock`) }, 2);
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => pool.exchange(get('/_ping'), undefined, limits, timeout).answer));
    expect(outcomes.map((outcome) => outcome.status === 'rejected' && (outcome.reason as NodeJS.ErrnoException).code)).toEqual(Array(20).fill('ENOENT'));
    expect((pool as unknown as { open: number }).open).toBe(0);
    pool.close();
  });

  it('abandons a connection still being made when the exchange that wanted it ends, so nothing keeps the process alive', async () => {
    // A daemon that stopped accepting: its queue full, a new connection hangs in the handshake.
    const child = spawn(process.execPath, ['-e', "const s = require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => console.log(s.address().port))"], { stdio: ['ignore', 'pipe', 'inherit'] });
    const stuck: Socket[] = [];
    try {
      const port = await new Promise<number>((resolve) => child.stdout.once('data', (data) => resolve(Number(String(data)))));
      process.kill(child.pid as number, 'SIGSTOP');
      for (let index = 0; index < 2; index += 1) {
        const filler = createConnection(port, '127.0.0.1');
        filler.on('error', () => undefined);
        filler.unref();
        stuck.push(filler);
        await new Promise((resolve) => filler.once('connect', resolve));
      }
      const connecting = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPConnectWrap').length;
      const before = connecting();
      const pool = new ConnectionPool({ host: '127.0.0.1', port }, 1);
      const first = pool.exchange(get('/_ping'), undefined, { ...limits, idleMs: 100 }, timeout);
      // One waits for the first's connection, and ends before it is made.
      const second = pool.exchange(get('/_ping'), undefined, { ...limits, idleMs: 100, deadlineMs: 150 }, timeout);
      await expect(first.answer).rejects.toThrow('timed out: idle');
      await expect(second.answer).rejects.toThrow('timed out: deadline');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(connecting()).toBe(before);
      expect((pool as unknown as { open: number }).open).toBe(0);
      pool.close();
    } finally {
      for (const socket of stuck) socket.destroy();
      child.kill('SIGKILL');
    }
  });

  it('speaks plain TCP to a daemon given by host and port', async () => {
    const server = createServer((request, response) => response.end(JSON.stringify({ url: request.url })));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const pool = new ConnectionPool({ host: '127.0.0.1', port }, 2);
    const answer = await pool.exchange(get('/version'), undefined, limits, timeout).answer;
    pool.close();
    expect(answer).toEqual({ status: 200, body: Buffer.from('{"url":"/version"}') });
  });

  it('rejects with the socket error when the daemon is not there, and after close', async () => {
    const pool = new ConnectionPool({ socketPath: join(tmpdir(), `da-absent-${process.pid}.sock`) }, 2);
    await expect(pool.exchange(get('/_ping'), undefined, limits, timeout).answer).rejects.toMatchObject({ code: 'ENOENT' });
    pool.close();
    await expect(pool.exchange(get('/_ping'), undefined, limits, timeout).answer).rejects.toThrow('the client was closed');
  });
});
