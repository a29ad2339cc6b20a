/**
 * `--syslog [URL]`: each change sent to syslog, one message each (formats in report/syslog.ts).
 *
 * - `udp://host:port` (514 by default): one RFC 5424 datagram per change. UDP has no answer:
 *   a change sent while no one listens is lost, as with any UDP syslog.
 * - `tcp://host:port`: RFC 5424 with octet counting (RFC 6587). While the connection is down
 *   changes wait in memory (at most 10 000; past that the oldest are dropped, counted and told)
 *   and the connection is tried again with backoff (0.5 s doubling to 30 s).
 * - `unix:///dev/log` (the default) or another local socket: Node cannot write to a datagram
 *   Unix socket, so one `logger` (util-linux) runs beside the watch and is handed
 *   `<PRI>message` lines; it writes what glibc's syslog(3) writes, `<PRI>Mmm dd hh:mm:ss
 *   dockaudit[PID]: message`, which rsyslog, syslog-ng and journald read. If it ends, it is
 *   started again for the next change (at most every 5 s; changes in between are dropped, counted).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { connect, isIPv6, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { UsageError, describeError } from '../errors.js';
import { localSyslogLine, rfc5424 } from '../report/syslog.js';
import type { WatchChange } from '../report/watch.js';

export const DEFAULT_SYSLOG = 'unix:///dev/log';
const MAX_QUEUED = 10_000;
const BACKOFF_INITIAL_MS = 500;
const BACKOFF_MAX_MS = 30_000;
const LOGGER_RESTART_MS = 5_000;
/**
 * What may wait in a connection's or logger's buffer, unsent: a receiver that takes the connection
 * but never reads, or a local syslog daemon that stalls (logger then blocks), costs this much
 * memory at most; past it, TCP changes wait in the bounded queue and local ones are dropped.
 */
export const MAX_SYSLOG_BUFFERED_BYTES = 1024 * 1024;

export type SyslogAddress = { kind: 'unix'; path: string } | { kind: 'udp' | 'tcp'; host: string; port: number };

export function parseSyslogAddress(value: string): SyslogAddress {
  if (value.startsWith('unix://')) {
    const path = value.slice('unix://'.length);
    if (!path.startsWith('/')) throw new UsageError(`--syslog: give an absolute socket path, as unix:///dev/log (got ${value})`);
    return { kind: 'unix', path };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--syslog: give unix:///path, udp://host:port or tcp://host:port (got ${value})`);
  }
  if (url.protocol !== 'udp:' && url.protocol !== 'tcp:') throw new UsageError(`--syslog: ${url.protocol} is not supported; give unix://, udp:// or tcp://`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new UsageError('--syslog: the address has no host');
  const port = url.port === '' ? 514 : Number(url.port);
  return { kind: url.protocol === 'udp:' ? 'udp' : 'tcp', host, port };
}

export interface SyslogStats {
  address: string;
  sent: number;
  dropped: number;
  failures: number;
  /** Bytes handed to the connection or to logger(1) and not yet taken by them. */
  buffered: number;
}

export interface SyslogSink {
  push(change: WatchChange): void;
  close(): Promise<void>;
  stats(): SyslogStats;
}

export function openSyslog(value: string, onNotice: (message: string) => void): SyslogSink {
  const address = parseSyslogAddress(value);
  if (address.kind === 'unix') {
    if (!existsSync(address.path)) throw new UsageError(`--syslog: ${address.path} does not exist (is a syslog daemon running?)`);
    return new LocalSyslog(address.path, value, onNotice);
  }
  return address.kind === 'udp' ? new UdpSyslog(address.host, address.port, value, onNotice) : new TcpSyslog(address.host, address.port, value, onNotice);
}

abstract class Counting {
  protected readonly counters = { sent: 0, dropped: 0, failures: 0 };
  constructor(
    protected readonly address: string,
    protected readonly notice: (message: string) => void,
  ) {}
  stats(): SyslogStats {
    return { address: this.address, ...this.counters, buffered: this.buffered() };
  }
  protected buffered(): number {
    return 0;
  }
  /** Counts a change dropped and tells it, once at first and then every thousand. */
  protected drop(why: string): void {
    this.counters.dropped += 1;
    if (this.counters.dropped === 1 || this.counters.dropped % 1000 === 0) this.notice(`syslog ${this.address}: ${this.counters.dropped} change(s) dropped ${why}`);
  }
}

class UdpSyslog extends Counting implements SyslogSink {
  private readonly socket: UdpSocket;
  private readonly host = hostname();
  private warned = false;

  constructor(
    private readonly to: string,
    private readonly port: number,
    address: string,
    notice: (message: string) => void,
  ) {
    super(address, notice);
    this.socket = createSocket(isIPv6(to) ? 'udp6' : 'udp4');
    this.socket.on('error', (error) => this.failed(error));
    this.socket.unref();
  }

  private failed(error: unknown): void {
    this.counters.failures += 1;
    // One notice until a send works again: a syslog server away for an hour is one line, not thousands.
    if (!this.warned) this.notice(`syslog ${this.address}: a message could not be sent: ${describeError(error)}`);
    this.warned = true;
  }

  push(change: WatchChange): void {
    this.socket.send(rfc5424(change, this.host, process.pid), this.port, this.to, (error) => {
      if (error) return this.failed(error);
      this.counters.sent += 1;
      this.warned = false;
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}

class TcpSyslog extends Counting implements SyslogSink {
  private readonly host = hostname();
  private socket: Socket | undefined;
  private connected = false;
  private readonly queue: string[] = [];
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly to: string,
    private readonly port: number,
    address: string,
    notice: (message: string) => void,
  ) {
    super(address, notice);
    this.open();
  }

  private open(): void {
    this.timer = undefined;
    if (this.closed) return;
    const socket = connect({ host: this.to, port: this.port });
    this.socket = socket;
    socket.setKeepAlive(true);
    socket.on('connect', () => {
      if (this.attempt > 0) this.notice(`syslog ${this.address}: connected again`);
      this.connected = true;
      this.attempt = 0;
      this.flush();
    });
    socket.on('data', () => undefined);
    // A receiver that reads again: what waits in the queue goes out.
    socket.on('drain', () => this.flush());
    socket.on('error', (error) => {
      this.counters.failures += 1;
      if (this.attempt === 0) this.notice(`syslog ${this.address}: ${describeError(error)}; changes wait in memory (at most ${MAX_QUEUED})`);
    });
    socket.on('close', () => {
      this.connected = false;
      if (this.closed) return;
      const delay = Math.min(BACKOFF_INITIAL_MS * 2 ** this.attempt, BACKOFF_MAX_MS);
      this.attempt += 1;
      this.timer = setTimeout(() => this.open(), delay);
    });
  }

  protected override buffered(): number {
    return this.socket?.writableLength ?? 0;
  }

  private flush(): void {
    while (this.connected && this.queue.length > 0 && (this.socket as Socket).writableLength < MAX_SYSLOG_BUFFERED_BYTES) {
      const frame = this.queue.shift() as string;
      (this.socket as Socket).write(frame);
      this.counters.sent += 1;
    }
  }

  push(change: WatchChange): void {
    const message = rfc5424(change, this.host, process.pid);
    this.queue.push(`${Buffer.byteLength(message)} ${message}`);
    if (this.queue.length > MAX_QUEUED) {
      this.queue.shift();
      this.drop(`while the connection was down or the receiver did not read (at most ${MAX_QUEUED} wait)`);
    }
    this.flush();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const socket = this.socket;
    if (socket === undefined || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      setTimeout(() => socket.destroy(), 2_000).unref();
    });
  }
}

class LocalSyslog extends Counting implements SyslogSink {
  private logger: ChildProcessWithoutNullStreams | undefined;
  private startedAt = 0;

  constructor(
    private readonly path: string,
    address: string,
    notice: (message: string) => void,
  ) {
    super(address, notice);
    this.start();
  }

  private start(): void {
    this.startedAt = Date.now();
    const logger = spawn('logger', ['--socket', this.path, '--socket-errors=on', '--tag', 'dockaudit', `--id=${process.pid}`, '--prio-prefix'], { stdio: ['pipe', 'ignore', 'pipe'] }) as unknown as ChildProcessWithoutNullStreams;
    this.logger = logger;
    let errors = '';
    logger.stderr.on('data', (chunk: Buffer) => {
      if (errors.length < 1000) errors += chunk.toString();
    });
    logger.stdin.on('error', () => undefined);
    logger.on('error', (error) => {
      this.counters.failures += 1;
      this.notice(`syslog ${this.address}: could not run logger(1): ${describeError(error)}`);
    });
    logger.on('exit', (code, signal) => {
      if (this.logger !== logger) return;
      this.logger = undefined;
      this.counters.failures += 1;
      this.notice(`syslog ${this.address}: logger(1) ended (${signal ?? `exit ${code}`}${errors.trim() !== '' ? `: ${errors.trim()}` : ''})`);
    });
  }

  push(change: WatchChange): void {
    if (this.logger === undefined && Date.now() - this.startedAt >= LOGGER_RESTART_MS) this.start();
    const logger = this.logger;
    if (logger === undefined || !logger.stdin.writable) {
      this.counters.dropped += 1;
      return;
    }
    // logger(1) blocked on a syslog daemon that does not read: nothing piles up in memory.
    if (logger.stdin.writableLength >= MAX_SYSLOG_BUFFERED_BYTES) {
      this.drop(`while logger(1) could not hand them to ${this.path} (${MAX_SYSLOG_BUFFERED_BYTES} bytes waiting)`);
      return;
    }
    logger.stdin.write(`${localSyslogLine(change)}\n`);
    this.counters.sent += 1;
  }

  protected override buffered(): number {
    return this.logger?.stdin.writableLength ?? 0;
  }

  async close(): Promise<void> {
    const logger = this.logger;
    this.logger = undefined;
    if (logger === undefined || logger.exitCode !== null || logger.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      logger.once('exit', () => resolve());
      logger.stdin.end();
      setTimeout(() => logger.kill('SIGTERM'), 2_000).unref();
    });
  }
}
