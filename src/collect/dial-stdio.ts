/**
 * A connection to a daemon through a command's standard input and output: for `ssh://` hosts,
 * `ssh … -- HOST docker system dial-stdio`, as the docker CLI does it, so no port has to be
 * opened on the audited host. The HTTP client runs over it as over a socket; each connection is
 * one process, ended when the connection is.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Duplex } from 'node:stream';
import { UsageError } from '../errors.js';

/** The most of a command's error output kept for the message when it fails. */
const STDERR_KEPT = 4096;

/** How long `ssh` may take to connect, in seconds (its `ConnectTimeout`). */
export const SSH_CONNECT_TIMEOUT_S = 30;

/** Connections opened at once to an `ssh://` daemon: each is an `ssh` process. */
export const SSH_MAX_CONNECTIONS = 4;

export interface SshAddress {
  user?: string;
  host: string;
  port?: string;
}

/** Reads `ssh://[user@]host[:port]`; a path, a query or a password is refused, as the docker CLI does. */
export function parseSshAddress(address: string): SshAddress {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new UsageError(`invalid ssh address: ${address} (use ssh://user@host[:port])`);
  }
  if (url.hostname === '') throw new UsageError(`invalid ssh address: ${address}: no host`);
  if (url.password !== '') throw new UsageError(`invalid ssh address: ${address}: a password in the address is not supported; use an ssh key`);
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '') throw new UsageError(`invalid ssh address: ${address}: no path or query allowed`);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    ...(url.username !== '' ? { user: decodeURIComponent(url.username) } : {}),
    ...(url.port !== '' ? { port: url.port } : {}),
  };
}

/**
 * The `ssh` command line that reaches the daemon's socket on the other side. BatchMode: a run
 * that audits several daemons at once cannot answer password prompts; keys come from the agent
 * or the ssh configuration.
 */
export function sshArguments(target: SshAddress): string[] {
  return [
    '-o', `ConnectTimeout=${SSH_CONNECT_TIMEOUT_S}`,
    '-o', 'BatchMode=yes',
    '-T',
    ...(target.user !== undefined ? ['-l', target.user] : []),
    ...(target.port !== undefined ? ['-p', target.port] : []),
    '--', target.host,
    'docker', 'system', 'dial-stdio',
  ];
}

/**
 * A child process's stdin and stdout as one duplex stream, with the few socket methods the HTTP
 * client and its agent call (timeouts, keep-alive, ref). A process that ends with an error
 * ends the stream with its last line of error output.
 */
export class CommandConnection extends Duplex {
  private readonly child: ChildProcessWithoutNullStreams;
  private stderr = '';
  private idleMs = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private isUnreferenced = false;
  /** Set by the HTTP client: the socket's idle timeout in milliseconds, 0 for none. */
  timeout = 0;

  constructor(command: string, args: string[]) {
    super();
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const child = this.child;
    child.stdout.on('data', (chunk: Buffer) => {
      this.touch();
      if (!this.push(chunk)) child.stdout.pause();
    });
    // The end of its output is told when the process has exited too: a failure is then told by
    // its exit code and error output rather than as a connection that hung up.
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
    });
    child.stdin.on('error', (error) => this.destroy(error));
    child.on('error', (error) => this.destroy(new Error(`cannot run ${command}: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (this.destroyed) return;
      if (code === 0) {
        this.push(null);
        this.destroy();
        return;
      }
      const said = this.lastErrorLine();
      this.destroy(new Error(`${command} ${code !== null ? `exited with code ${code}` : `ended by ${signal ?? 'a signal'}`}${said ? `: ${said}` : ''}`));
    });
  }

  private lastErrorLine(): string {
    const lines = this.stderr.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
    const last = lines[lines.length - 1] ?? '';
    return last.length > 300 ? `${last.slice(0, 300)}…` : last;
  }

  private touch(): void {
    if (this.idleTimer !== undefined) this.idleTimer.refresh();
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.touch();
    this.child.stdin.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.child.stdin.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      // Held until it has exited, so the program does not end leaving it unreaped.
      this.child.ref();
      this.child.kill('SIGTERM');
    }
    callback(error);
  }

  /** As net.Socket: 'timeout' after `milliseconds` without data either way; 0 turns it off. */
  setTimeout(milliseconds: number, onTimeout?: () => void): this {
    if (onTimeout) {
      if (milliseconds === 0) this.removeListener('timeout', onTimeout);
      else this.once('timeout', onTimeout);
    }
    this.idleMs = milliseconds;
    this.timeout = milliseconds;
    clearTimeout(this.idleTimer);
    this.idleTimer = milliseconds > 0 ? setTimeout(() => this.onIdle(), milliseconds) : undefined;
    if (this.idleTimer !== undefined && this.isUnreferenced) this.idleTimer.unref();
    return this;
  }

  private onIdle(): void {
    this.emit('timeout');
    // As a socket's, the timer starts again: the listener decides whether to end the connection.
    if (!this.destroyed && this.idleMs > 0) this.idleTimer = setTimeout(() => this.onIdle(), this.idleMs);
  }

  setKeepAlive(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  /** A connection kept for reuse does not keep the program running. */
  unref(): this {
    this.isUnreferenced = true;
    this.child.unref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
    this.idleTimer?.unref();
    return this;
  }

  ref(): this {
    this.isUnreferenced = false;
    this.child.ref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) (stream as unknown as { ref?: () => void }).ref?.();
    this.idleTimer?.ref();
    return this;
  }
}

/** A connection to the daemon of an `ssh://` address, through the system's `ssh`. */
export function sshConnection(target: SshAddress): Duplex {
  return new CommandConnection('ssh', sshArguments(target));
}
