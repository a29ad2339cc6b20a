/**
 * `dockaudit watch --webhook` and `--syslog` against the real daemon and real local receivers:
 * a webhook receiver that is down, then hangs, then answers gets every change once, in order, also
 * across a restart of the watch; the URL's credentials reach it as Basic authorization and are
 * never printed; a UDP syslog listener and a Unix datagram listener get one message per change.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { docker } from '../../scripts/testbed/docker.mjs';
import { CLI, IMAGES, LABEL_KEY, LABEL_VALUE } from './scenario.js';

interface Change {
  sequence?: number;
  event: string;
  finding: { ruleId: string; subject: { name?: string } };
}

const PREFIX = `da-it-sink-${process.pid}-${Date.now()}`;
const created: string[] = [];
const children: ChildProcessWithoutNullStreams[] = [];
const work = mkdtempSync(join(tmpdir(), 'dockaudit-sinks-'));

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const name of created) await docker(['rm', '-f', name]).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

function startWatch(args: string[]): { stdout: () => Change[]; stderr: () => string; exit: Promise<number | null>; child: ChildProcessWithoutNullStreams } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('DOCKAUDIT_')));
  const child = spawn(process.execPath, [CLI, 'watch', '--format', 'json', '--no-baseline', ...args], { cwd: tmpdir(), env: { ...env, XDG_CACHE_HOME: join(work, 'cache') }, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    stdout: () => stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Change),
    stderr: () => stderr,
    exit,
    child,
  };
}

async function until<T>(find: () => T | undefined | false, what: string, stderr: () => string, timeoutMs = 60_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const found = find();
    if (found !== undefined && found !== false) return found;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}; stderr: ${stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function createPrivileged(suffix: string): Promise<string> {
  const name = `${PREFIX}-${suffix}`;
  created.push(name);
  await docker(['create', '--privileged', '--name', name, '--label', `${LABEL_KEY}=${LABEL_VALUE}`, IMAGES.busybox, 'sleep', '1']);
  return name;
}

/** A free port on 127.0.0.1 that nothing listens on (yet). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('dockaudit watch --webhook', () => {
  it('keeps changes in its spool while the receiver is down or hangs, and delivers each once, in order, also after a restart', async () => {
    const port = await freePort();
    const spool = join(work, 'spool');
    const url = `http://hook-user:s3cr3t-token@127.0.0.1:${port}/hook`;
    const flags = ['--webhook', url, '--spool', spool, '--webhook-timeout', '1s', '--max-backoff', '2s'];

    // The receiver is down: changes go to the spool.
    const first = startWatch(flags);
    await until(() => first.stderr().includes('watching its events'), 'the first audit', first.stderr, 120_000);
    const a = await createPrivileged('a');
    await until(() => first.stdout().some((line) => line.finding.subject.name === a && line.finding.ruleId === 'DA505'), 'the DA505 line of a', first.stderr);
    await until(() => first.stderr().includes('delivery failed'), 'a failed delivery', first.stderr);
    const spooledNames = (): string[] => readdirSync(spool).filter((name) => name.endsWith('.json'));
    await until(() => spooledNames().length === first.stdout().length, 'every change in the spool', first.stderr);
    const spooled = spooledNames();
    expect(statSync(spool).mode & 0o777).toBe(0o700);
    for (const name of spooled) expect(statSync(join(spool, name)).mode & 0o777).toBe(0o600);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(143);
    const printedBefore = first.stdout();

    // The receiver hangs: each request ends at the deadline, nothing is lost.
    const received: { body: Change[]; authorization: string | undefined }[] = [];
    let mode: 'hang' | 'answer' = 'hang';
    const hanging: ServerResponse[] = [];
    const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        if (mode === 'hang') return void hanging.push(response);
        received.push({ body: JSON.parse(body) as Change[], authorization: request.headers.authorization });
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      const second = startWatch(flags);
      await until(() => second.stderr().includes('left in the spool by an earlier run'), 'the spool read again', second.stderr);
      await until(() => second.stderr().includes('no answer within 1.0 s'), 'the deadline of a hanging request', second.stderr);
      const b = await createPrivileged('b');
      await until(() => second.stdout().some((line) => line.finding.subject.name === b && line.finding.ruleId === 'DA505'), 'the DA505 line of b', second.stderr);
      mode = 'answer';
      const expected = [...printedBefore, ...second.stdout()];
      await until(() => received.flatMap((entry) => entry.body).length >= expected.length, 'every change delivered', second.stderr, 30_000);
      const delivered = received.flatMap((entry) => entry.body);
      // Once each, in order: the same changes as printed, sequences rising.
      expect(delivered.map(({ sequence: _sequence, ...rest }) => rest)).toEqual(expected);
      const sequences = delivered.map((change) => change.sequence as number);
      expect(new Set(sequences).size).toBe(sequences.length);
      expect([...sequences].sort((x, y) => x - y)).toEqual(sequences);
      expect(delivered.some((change) => change.finding.subject.name === a)).toBe(true);
      expect(received.every((entry) => entry.authorization === `Basic ${Buffer.from('hook-user:s3cr3t-token').toString('base64')}`)).toBe(true);
      await until(() => readdirSync(spool).filter((name) => name.endsWith('.json')).length === 0, 'an empty spool', second.stderr);
      expect(first.stderr() + second.stderr()).not.toContain('s3cr3t');
      expect(first.stderr() + second.stderr()).not.toContain('/hook');
      second.child.kill('SIGTERM');
      expect(await second.exit).toBe(143);
    } finally {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      server.close();
    }
  });

  it('does not follow a redirect to another host', async () => {
    let elsewhere = 0;
    const other = createServer((_request, response) => {
      elsewhere += 1;
      response.end();
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.2', resolve));
    const redirecting = createServer((_request, response) => {
      response.statusCode = 307;
      response.setHeader('Location', `http://127.0.0.2:${(other.address() as AddressInfo).port}/stolen`);
      response.end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const watching = startWatch(['--webhook', `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/hook`, '--spool', join(work, 'spool-redirect')]);
      await until(() => watching.stderr().includes('watching its events'), 'the first audit', watching.stderr, 120_000);
      await createPrivileged('redirect');
      await until(() => watching.stderr().includes('which is not followed'), 'the redirect refused', watching.stderr);
      expect(elsewhere).toBe(0);
      watching.child.kill('SIGTERM');
      await watching.exit;
    } finally {
      redirecting.close();
      other.close();
    }
  });
});

describe('dockaudit watch --syslog', () => {
  it('sends one RFC 5424 datagram per change to a UDP listener', async () => {
    const listener = createSocket('udp4');
    const messages: string[] = [];
    listener.on('message', (message) => messages.push(message.toString()));
    await new Promise<void>((resolve) => listener.bind(0, '127.0.0.1', resolve));
    try {
      const watching = startWatch(['--syslog', `udp://127.0.0.1:${listener.address().port}`]);
      await until(() => watching.stderr().includes('watching its events'), 'the first audit', watching.stderr, 120_000);
      const name = await createPrivileged('syslog');
      await until(() => watching.stdout().some((line) => line.finding.subject.name === name && line.finding.ruleId === 'DA505'), 'the DA505 line', watching.stderr);
      await until(() => messages.length >= watching.stdout().length, 'every change as a datagram', watching.stderr);
      expect(messages.length).toBe(watching.stdout().length);
      const privileged = messages.find((message) => message.includes(' DA505 '));
      // daemon.crit, version 1, app dockaudit, MSGID the event.
      expect(privileged).toMatch(/^<26>1 \d{4}-\d\d-\d\dT\S+Z \S+ dockaudit \d+ new - NEW fail critical DA505 container /);
      expect(privileged).toContain(name);
      watching.child.kill('SIGTERM');
      await watching.exit;
    } finally {
      listener.close();
    }
  });

  it('sends octet-counted RFC 5424 frames over TCP, keeping what comes while the listener is down', async () => {
    const port = await freePort();
    const frames: string[] = [];
    let buffer = '';
    const listener = createNetServer((socket) => {
      socket.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        // Octet counting: LENGTH SP MESSAGE, back to back.
        for (let match = /^(\d+) /.exec(buffer); match !== null; match = /^(\d+) /.exec(buffer)) {
          const length = Number(match[1]);
          const start = match[0].length;
          if (Buffer.byteLength(buffer.slice(start)) < length) break;
          frames.push(buffer.slice(start, start + length));
          buffer = buffer.slice(start + length);
        }
      });
    });
    // Down at first: the change waits in memory and goes out once the listener is up.
    const watching = startWatch(['--syslog', `tcp://127.0.0.1:${port}`]);
    try {
      await until(() => watching.stderr().includes('watching its events'), 'the first audit', watching.stderr, 120_000);
      const name = await createPrivileged('tcp');
      await until(() => watching.stdout().some((line) => line.finding.subject.name === name && line.finding.ruleId === 'DA505'), 'the DA505 line', watching.stderr);
      await until(() => watching.stderr().includes('changes wait in memory'), 'the connection refused', watching.stderr);
      await new Promise<void>((resolve) => listener.listen(port, '127.0.0.1', resolve));
      await until(() => frames.length >= watching.stdout().length, 'every change as a frame', watching.stderr, 30_000);
      expect(frames.length).toBe(watching.stdout().length);
      expect(frames.find((frame) => frame.includes(' DA505 '))).toMatch(/^<26>1 \S+ \S+ dockaudit \d+ new - NEW fail critical DA505 container /);
    } finally {
      watching.child.kill('SIGTERM');
      await watching.exit;
      listener.close();
    }
  });

  it('hands one message per change to a local Unix datagram socket, as syslog(3) does', async () => {
    const socketPath = join(work, 'log.sock');
    const out = join(work, 'log.out');
    // Node cannot bind a datagram Unix socket; Python can.
    const listener = spawn('python3', ['-c', `import socket,sys\ns=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\ns.bind(${JSON.stringify(socketPath)})\nprint('ready',flush=True)\nwhile True:\n  d=s.recv(65536)\n  sys.stdout.write(d.decode('utf-8','replace').replace('\\n',' ')+'\\n'); sys.stdout.flush()\n`]);
    let lines = '';
    listener.stdout.on('data', (chunk: Buffer) => (lines += chunk.toString()));
    children.push(listener as unknown as ChildProcessWithoutNullStreams);
    await until(() => lines.includes('ready'), 'the listener', () => out);
    const watching = startWatch(['--syslog', `unix://${socketPath}`]);
    await until(() => watching.stderr().includes('watching its events'), 'the first audit', watching.stderr, 120_000);
    const name = await createPrivileged('local');
    await until(() => watching.stdout().some((line) => line.finding.subject.name === name && line.finding.ruleId === 'DA505'), 'the DA505 line', watching.stderr);
    const messages = (): string[] => lines.split('\n').filter((line) => line.startsWith('<'));
    await until(() => messages().length >= watching.stdout().length, 'every change as a message', watching.stderr);
    expect(messages().length).toBe(watching.stdout().length);
    expect(messages().find((message) => message.includes(' DA505 '))).toMatch(/^<26>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d dockaudit\[\d+\]: NEW fail critical DA505 container /);
    watching.child.kill('SIGTERM');
    await watching.exit;
    listener.kill();
  });
});
