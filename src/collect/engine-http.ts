/**
 * HTTP/1.1 for the Engine API's JSON calls over a unix socket or plain TCP: kept-alive connections,
 * one exchange at a time on each, every answer read whole under a size cap, a silence bound and a
 * deadline.
 *
 * Why not node:http for these: an audit makes one call per container and two per image, and
 * node:http spends about three times the CPU of the exchange itself on each (request and response
 * objects, header validation, streams, timers per socket): on 500 containers, 150 ms of the
 * client's CPU against 50 ms here (see ARCHITECTURE.md). Streams (exports, events, bodies sent as
 * they come), TLS and `ssh` connections keep node:http.
 *
 * The answer parser is strict and bounded: a status line and headers of at most 64 KiB (interim
 * `1xx` answers included), a `Content-Length` or `chunked` body (chunk-size lines of at most 1 KiB),
 * or a body up to the close when the daemon says neither; never more than the caller's cap held,
 * and about twice that in memory however the body is chunked. Anything else ends the
 * exchange with an ExchangeError and the connection is dropped, never reused.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { escapeControl } from '../escape.js';

/** The largest status line and headers accepted. */
export const MAX_HEAD_BYTES = 64 * 1024;
/** The longest chunk-size line (size, extensions) accepted in a chunked body. */
const MAX_CHUNK_LINE_BYTES = 1024;
/** A header name as HTTP allows it (a token): no spaces, so no folded continuation line passes as one. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/**
 * Daemon-given text made fit for a one-line message: every control or bidi character shown as an
 * escape (`\x1b`, `\r`, `\u202e`, as the report's formatters show them), and at most `max`
 * characters kept.
 */
export function quote(text: string, max = 300): string {
  return escapeControl(text.length > max ? `${text.slice(0, max)}…` : text);
}

/**
 * Why an exchange failed, when not on the socket itself: `size` (body over the cap), `cut` (closed
 * mid-answer), `malformed` (not HTTP/1.1 as the daemon speaks it). `detail` says more.
 */
export class ExchangeError extends Error {
  constructor(
    readonly kind: 'size' | 'cut' | 'malformed',
    readonly status: number | undefined,
    detail: string,
  ) {
    super(detail);
    this.name = 'ExchangeError';
  }
}

/** A whole answer. */
export interface Answer {
  status: number;
  body: Buffer;
}

type Step = { done: false } | { done: true; answer: Answer; reusable: boolean; extra: boolean };

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * Reads one answer from the bytes of a connection, pushed as they come. Throws ExchangeError on
 * anything it does not accept; `maxBytes` bounds the body (headers have their own cap). Linear in
 * the bytes pushed however they are split: the headers and trailers are kept as the pieces that
 * came and joined once, and only a chunk-size line (at most 1 KiB) is ever joined again.
 */
export class AnswerParser {
  /** Unread bytes of a chunk-size line or a chunk's CRLF, split across pushes (at most 1 KiB). */
  private pending: Buffer = Buffer.alloc(0);
  private state: 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailer' | 'close' | 'done' = 'head';
  /** The pieces of the headers (or trailers) read so far, their size, and their last three bytes. */
  private section: Buffer[] = [];
  private sectionBytes = 0;
  /** The bytes of the interim (1xx) answers skipped so far: they count against the headers' cap. */
  private interimBytes = 0;
  private carry: Buffer = Buffer.alloc(0);
  private status = 0;
  private keepAlive = true;
  private remaining = 0;
  private bodySize = 0;
  private readonly body: Buffer[] = [];

  constructor(
    private readonly maxBytes: number,
    private readonly bodyless = false,
  ) {}

  /** Takes the next bytes; says whether the answer is complete, and then whether more bytes followed it. */
  push(chunk: Buffer): Step {
    let data = chunk;
    for (;;) {
      switch (this.state) {
        case 'head':
        case 'trailer': {
          // Up to the empty line that ends the headers (or the trailers).
          const head = this.state === 'head';
          const found = this.sectionEnd(data);
          if (this.interimBytes + this.sectionBytes + (found === -1 ? data.length : found) > MAX_HEAD_BYTES) {
            throw new ExchangeError('malformed', head ? undefined : this.status, `${head ? 'headers' : 'trailers'} over ${MAX_HEAD_BYTES} bytes`);
          }
          if (found === -1) {
            this.section.push(data);
            this.sectionBytes += data.length;
            return { done: false };
          }
          const text = head ? Buffer.concat([...this.section, data.subarray(0, found)]).toString('latin1') : '';
          data = data.subarray(found);
          this.section = [];
          this.sectionBytes = 0;
          this.carry = Buffer.alloc(0);
          if (head) {
            this.readHead(text.slice(0, -HEAD_END.length));
            if (this.state === 'head') this.interimBytes += text.length;
          }
          else this.state = 'done';
          break;
        }
        case 'length': {
          data = this.takeBody(data, false);
          if (this.remaining > 0) return { done: false };
          this.state = 'done';
          break;
        }
        case 'chunk-size': {
          const line = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
          const end = line.indexOf(CRLF);
          if (end === -1 || end > MAX_CHUNK_LINE_BYTES) {
            if (line.length > MAX_CHUNK_LINE_BYTES) throw new ExchangeError('malformed', this.status, 'a chunk-size line too long');
            this.pending = line;
            return { done: false };
          }
          this.pending = Buffer.alloc(0);
          const size = /^([0-9A-Fa-f]{1,8})[ \t]*(?:;.*)?$/.exec(line.toString('latin1', 0, end));
          data = line.subarray(end + CRLF.length);
          if (size === null) throw new ExchangeError('malformed', this.status, 'a chunk size that is not hexadecimal');
          this.remaining = Number.parseInt(size[1] as string, 16);
          if (this.bodySize + this.remaining > this.maxBytes) throw new ExchangeError('size', this.status, 'body over the cap');
          if (this.remaining === 0) {
            // The trailers follow the last chunk's line: as if a CRLF came just before them.
            this.state = 'trailer';
            this.carry = CRLF;
          } else this.state = 'chunk-data';
          break;
        }
        case 'chunk-data': {
          data = this.takeBody(data, true);
          if (this.remaining > 0) return { done: false };
          this.state = 'chunk-end';
          break;
        }
        case 'chunk-end': {
          const bytes = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
          if (bytes.length < CRLF.length) {
            this.pending = bytes;
            return { done: false };
          }
          this.pending = Buffer.alloc(0);
          if (bytes[0] !== 0x0d || bytes[1] !== 0x0a) throw new ExchangeError('malformed', this.status, 'a chunk not followed by CRLF');
          data = bytes.subarray(CRLF.length);
          this.state = 'chunk-size';
          break;
        }
        case 'close': {
          if (data.length > 0) this.keep(data);
          return { done: false };
        }
        case 'done':
          return { done: true, answer: { status: this.status, body: Buffer.concat(this.body, this.bodySize) }, reusable: this.keepAlive, extra: data.length > 0 };
      }
    }
  }

  /**
   * Where, in `data`, the section being read ends (just past its empty line), or -1. Only the
   * new bytes are searched, with the last three of those before them.
   */
  private sectionEnd(data: Buffer): number {
    const carried = this.carry.length;
    const probe = carried === 0 ? data : Buffer.concat([this.carry, data]);
    const at = probe.indexOf(HEAD_END);
    if (at !== -1) return at + HEAD_END.length - carried;
    this.carry = Buffer.from(probe.subarray(Math.max(0, probe.length - (HEAD_END.length - 1))));
    return -1;
  }

  /** The connection closed: the answer, if a body read to the close makes it complete; else it was cut. */
  end(): Answer {
    if (this.state === 'close') return { status: this.status, body: Buffer.concat(this.body, this.bodySize) };
    const where = this.state === 'head' ? 'before the headers ended' : `after ${this.bodySize} bytes of the body`;
    throw new ExchangeError('cut', this.state === 'head' ? undefined : this.status, `the connection closed before the answer was complete (${where})`);
  }

  /** The status, once the headers are read. */
  get statusCode(): number | undefined {
    return this.state === 'head' ? undefined : this.status;
  }

  /**
   * Keeps as body the first `remaining` bytes of `data` (or all of it), and returns what follows
   * them. `compact`: a piece much smaller than the read it came in is copied, so that chunk-size
   * lines and extensions around small chunks are not kept alive with it.
   */
  private takeBody(data: Buffer, compact: boolean): Buffer {
    const take = Math.min(this.remaining, data.length);
    if (take > 0) this.keep(compact && take * 2 < data.buffer.byteLength ? Buffer.from(data.subarray(0, take)) : data.subarray(0, take));
    this.remaining -= take;
    return data.subarray(take);
  }

  private keep(bytes: Buffer): void {
    this.bodySize += bytes.length;
    if (this.bodySize > this.maxBytes) throw new ExchangeError('size', this.status, 'body over the cap');
    this.body.push(bytes);
  }

  private readHead(head: string): void {
    const lines = head.split('\r\n');
    const statusLine = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: .*)?$/.exec(lines[0] as string);
    if (statusLine === null) throw new ExchangeError('malformed', undefined, 'not an HTTP/1.x status line');
    const status = Number(statusLine[2]);
    let length: number | undefined;
    let chunked = false;
    // HTTP/1.1 keeps the connection unless told to close; 1.0 closes unless told to keep it.
    let close = false;
    let keepAlive = statusLine[1] === '1';
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new ExchangeError('malformed', status, 'a header line without a name');
      if (!HEADER_NAME.test(line.slice(0, colon))) throw new ExchangeError('malformed', status, 'a header name that is not a token (a folded line, or spaces before the colon)');
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length') {
        if (!/^\d{1,15}$/.test(value)) throw new ExchangeError('malformed', status, 'a Content-Length that is not a number');
        const declared = Number(value);
        if (length !== undefined && length !== declared) throw new ExchangeError('malformed', status, 'two different Content-Length headers');
        length = declared;
      } else if (name === 'transfer-encoding') {
        const codings = value.toLowerCase().split(',').map((coding) => coding.trim());
        if (codings[codings.length - 1] !== 'chunked' || codings.length > 1) throw new ExchangeError('malformed', status, `a Transfer-Encoding dockaudit does not read: ${quote(value, 40)}`);
        chunked = true;
      } else if (name === 'connection') {
        // A list of options, in as many headers as the daemon likes: any `close` closes.
        const options = value.toLowerCase().split(',').map((option) => option.trim());
        if (options.includes('close')) close = true;
        if (options.includes('keep-alive')) keepAlive = true;
      }
    }
    // An interim answer (100 Continue): the real one follows.
    if (status < 200) {
      if (status === 101) throw new ExchangeError('malformed', status, 'an upgrade was not asked for');
      return;
    }
    this.status = status;
    this.keepAlive = keepAlive && !close;
    if (chunked && length !== undefined) throw new ExchangeError('malformed', status, 'both Content-Length and chunked');
    if (this.bodyless || status === 204 || status === 304) {
      this.state = 'done';
    } else if (chunked) {
      this.state = 'chunk-size';
    } else if (length !== undefined) {
      if (length > this.maxBytes) throw new ExchangeError('size', status, 'declared body over the cap');
      this.remaining = length;
      this.state = 'length';
    } else {
      this.keepAlive = false;
      this.state = 'close';
    }
  }
}

/** An exchange waiting for a connection; `fresh`: a new one; `connecting`: told of a new one being made for it. */
interface Waiter {
  resolve: (socket: Socket) => void;
  reject: (error: Error) => void;
  fresh: boolean;
  connecting: (socket: Socket) => void;
}

/** Where the daemon listens: a unix socket, or a host and port for plain TCP. */
export type Endpoint = { socketPath: string } | { host: string; port: number };

/** The bounds of one exchange. */
export interface ExchangeLimits {
  idleMs: number;
  deadlineMs?: number;
  maxBytes: number;
}

/** One exchange under way: `fail` ends it with a reason of the caller's (a deadline, an abort). */
export interface Exchange {
  answer: Promise<Answer>;
  fail(error: Error): void;
}

/**
 * Connections to one daemon, at most `maxConnections` open, kept open between exchanges. The
 * caller turns failures into its own errors; a connection that saw any failure is destroyed.
 */
export class ConnectionPool {
  /** Connections waiting for an exchange, each with what forgets it should the daemon close it meanwhile. */
  private readonly idle = new Map<Socket, () => void>();
  /** Exchanges waiting for a connection; `fresh`: a new one, not one that carried an exchange. */
  private readonly waiting: Waiter[] = [];
  /** How to end each exchange under way, for `close`. */
  private readonly active = new Set<(error: Error) => void>();
  /** Connections that carried an exchange already: the daemon may close one as the next is sent. */
  private readonly served = new WeakSet<Socket>();
  private open = 0;
  private closed = false;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly maxConnections: number,
  ) {}

  /**
   * Sends `head` (the request line and headers, with the final empty line) and `payload`, and reads
   * the answer. When the connection stays silent for `limits.idleMs`, or `limits.deadlineMs` passes
   * (from the start), the exchange fails with what `onTimeout` returns for that bound. Silence counts
   * from the start too, connecting included, but not while the exchange waits for another's
   * connection (each of those is bounded already). `bodyless`: the answer has no body whatever its
   * headers say (a HEAD request). `replayable`: the request may be sent twice (a GET), so when a
   * connection that already carried an exchange closes before a byte of the answer came (the daemon
   * ended it as the request went out), it is sent once more, on a new connection and within the
   * same bounds. A connection is reused only once the daemon answered in full and the whole request
   * was written; one still being made when its exchange ends is abandoned.
   */
  exchange(head: string, payload: Buffer | undefined, limits: ExchangeLimits, onTimeout: (bound: 'idle' | 'deadline') => Error, bodyless = false, replayable = false): Exchange {
    const parser = new AnswerParser(limits.maxBytes, bodyless);
    let socket: Socket | undefined;
    let settled = false;
    /** Whether any byte of the answer came. */
    let received = false;
    /** A connection being made for this exchange: abandoned if the exchange ends first. */
    let connecting: Socket | undefined;
    const onConnecting = (made: Socket): void => {
      if (settled) made.destroy();
      else connecting = made;
    };
    let resolveAnswer: (answer: Answer) => void = () => undefined;
    let rejectAnswer: (error: Error) => void = () => undefined;
    const answer = new Promise<Answer>((resolve, reject) => {
      resolveAnswer = resolve;
      rejectAnswer = reject;
    });
    const finish = (error: Error | undefined, result?: Answer, reusable = false): void => {
      if (settled) return;
      settled = true;
      this.active.delete(fail);
      // A connection still being made would hold the process until the system gives up on it.
      if (connecting !== undefined && connecting.connecting) connecting.destroy();
      connecting = undefined;
      if (idle !== undefined) clearTimeout(idle);
      clearTimeout(deadline);
      if (socket !== undefined) {
        detach(socket);
        // Reused only when the request is out in full: else the daemon would read its rest as the next.
        this.release(socket, error === undefined && reusable && socket.writableLength === 0);
      }
      if (error !== undefined) rejectAnswer(error);
      else resolveAnswer(result as Answer);
    };
    const detach = (from: Socket): void => {
      from.off('data', onData);
      from.off('end', onEnd);
      from.off('close', onEnd);
      from.off('error', onError);
    };
    /** Sends the request again on another connection, when the one it went out on was closed under it. */
    const replay = (): boolean => {
      // A new connection never carried an exchange: the request goes out again at most once.
      if (!replayable || received || socket === undefined || !this.served.has(socket)) return false;
      detach(socket);
      this.release(socket, false);
      socket = undefined;
      if (this.mustWait()) {
        clearTimeout(idle);
        idle = undefined;
      }
      this.acquire(onConnecting, true).then(start, (error: Error) => finish(error));
      return true;
    };
    const onData = (chunk: Buffer): void => {
      if (settled) return;
      received = true;
      idle?.refresh();
      let step: Step;
      try {
        step = parser.push(chunk);
      } catch (error) {
        return finish(error as Error);
      }
      if (step.done) finish(undefined, step.answer, step.reusable && !step.extra);
    };
    const onEnd = (): void => {
      if (settled || replay()) return;
      let complete: Answer;
      try {
        complete = parser.end();
      } catch (error) {
        return finish(error as Error);
      }
      finish(undefined, complete, false);
    };
    const onError = (error: Error): void => {
      if (settled || replay()) return;
      // Once the status line is in, a broken connection cut the answer short.
      const status = parser.statusCode;
      finish(status === undefined ? error : new ExchangeError('cut', status, `the connection closed before the answer was complete (${error.message})`));
    };
    let idle: NodeJS.Timeout | undefined;
    const watchSilence = (): void => {
      if (idle === undefined) idle = setTimeout(() => finish(onTimeout('idle')), limits.idleMs);
      else idle.refresh();
    };
    if (!this.mustWait()) watchSilence();
    const deadline = limits.deadlineMs === undefined ? undefined : setTimeout(() => finish(onTimeout('deadline')), limits.deadlineMs);
    const start = (acquired: Socket): void => {
      connecting = undefined;
      if (settled) return this.release(acquired, true);
      socket = acquired;
      // Silence counts from here: waiting for a connection to be free is not the daemon's.
      watchSilence();
      socket.ref();
      socket.on('data', onData);
      socket.on('end', onEnd);
      socket.on('close', onEnd);
      socket.on('error', onError);
      socket.write(payload === undefined ? head : Buffer.concat([Buffer.from(head, 'latin1'), payload]));
    };
    const fail = (error: Error): void => finish(error);
    this.active.add(fail);
    this.acquire(onConnecting).then(start, (error: Error) => finish(error));
    return { answer, fail };
  }

  /** Ends every connection; exchanges under way or still waiting for one fail. */
  close(): void {
    this.closed = true;
    for (const fail of [...this.active]) fail(new Error('the client was closed'));
    for (const socket of [...this.idle.keys()]) {
      this.take(socket);
      socket.destroy();
      this.dropped();
    }
    for (const waiter of this.waiting.splice(0)) waiter.reject(new Error('the client was closed'));
  }

  /** Whether an exchange starting now waits for another's connection to be free. */
  private mustWait(): boolean {
    return !this.closed && this.idle.size === 0 && this.open >= this.maxConnections;
  }

  /** A connection for an exchange: an idle one, a new one, or the next one free; `fresh`: a new one. */
  private acquire(connecting: (socket: Socket) => void, fresh = false): Promise<Socket> {
    if (this.closed) return Promise.reject(new Error('the client was closed'));
    for (const socket of this.idle.keys()) {
      this.take(socket);
      if (!fresh) return Promise.resolve(socket);
      // Room for the new connection: an idle one is as likely closed under us as the one that was.
      socket.destroy();
      this.open -= 1;
      break;
    }
    if (this.open < this.maxConnections) return this.connect(connecting);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject, fresh, connecting }));
  }

  /** A new connection; `connecting` is told of it at once, and may destroy it before it is made. */
  private connect(connecting: (socket: Socket) => void): Promise<Socket> {
    this.open += 1;
    return new Promise((resolve, reject) => {
      const socket = 'socketPath' in this.endpoint ? netConnect(this.endpoint.socketPath) : netConnect(this.endpoint.port, this.endpoint.host);
      const failed = (error: Error): void => {
        socket.off('error', failed);
        socket.off('close', abandoned);
        socket.destroy();
        this.dropped();
        reject(error);
      };
      const abandoned = (): void => failed(new Error('the connection was abandoned before it was made'));
      socket.once('error', failed);
      socket.once('close', abandoned);
      socket.once('connect', () => {
        socket.off('error', failed);
        socket.off('close', abandoned);
        socket.setNoDelay(true);
        resolve(socket);
      });
      connecting(socket);
    });
  }

  /** Takes a connection out of the idle ones. */
  private take(socket: Socket): void {
    const forget = this.idle.get(socket);
    this.idle.delete(socket);
    if (forget === undefined) return;
    socket.off('close', forget);
    socket.off('end', forget);
    socket.off('error', forget);
    socket.off('data', forget);
  }

  /** A connection back from an exchange: kept for the next one when it ended cleanly, else dropped. */
  private release(socket: Socket, reusable: boolean): void {
    if (!reusable || this.closed || socket.destroyed || socket.readableEnded || !socket.writable) {
      socket.destroy();
      this.dropped();
      return;
    }
    this.served.add(socket);
    const next = this.waiting.findIndex((waiter) => !waiter.fresh);
    if (next !== -1) return (this.waiting.splice(next, 1)[0] as Waiter).resolve(socket);
    if (this.waiting.length > 0) {
      // Only exchanges that need a new connection wait: this one makes room for it.
      socket.destroy();
      this.dropped();
      return;
    }
    // An idle connection keeps nothing alive; one the daemon closes, or writes to unasked, is dropped.
    socket.unref();
    const forget = (): void => {
      this.take(socket);
      socket.destroy();
      this.dropped();
    };
    socket.once('close', forget);
    socket.once('end', forget);
    socket.once('error', forget);
    socket.once('data', forget);
    this.idle.set(socket, forget);
  }

  /** A connection is gone: someone waiting gets a new one. */
  private dropped(): void {
    this.open -= 1;
    if (this.closed || this.waiting.length === 0 || this.open >= this.maxConnections) return;
    const next = this.waiting.shift() as Waiter;
    this.connect(next.connecting).then(next.resolve, next.reject);
  }
}
