/**
 * A stand-in Docker daemon that misbehaves on demand: a node http server on a unix socket in a
 * temporary directory, answering the Engine API calls of an audit with canned documents, and
 * trickling, streaming without end, cutting or stalling the answers a test names.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What to do instead of the canned answer:
 * - `trickle`: the answer one byte every `trickleMs` (an answer that never ends in time);
 * - `endless`: a JSON document that never ends, as fast as the client reads;
 * - `cut`: half the answer, then the connection closed;
 * - `stall`: the headers, then nothing;
 * - `{ status, message }`: an error answer.
 */
export type Fault = 'trickle' | 'endless' | 'cut' | 'stall' | { status: number; message: string };

export interface FaultDaemonOptions {
  /** Containers listed, named `fault-0`, `fault-1`, …; the first `running` of them are running. */
  containers?: number;
  running?: number;
  /** Whether `fault-0` runs privileged (a critical finding), as by default. */
  privileged?: boolean;
  /** Called for every request (path without version prefix); a fault replaces the canned answer. */
  fault?: (path: string) => Fault | undefined;
  /** Milliseconds between bytes of a trickled answer. */
  trickleMs?: number;
  /** Changes the inspect document of the `index`th container (its state, say) before it is sent. */
  inspect?: (index: number, document: Record<string, unknown>) => Record<string, unknown>;
}

export interface FaultDaemon {
  socketPath: string;
  address: string;
  /** Paths asked, in order. */
  requests: string[];
  /** Bytes written in answers so far (how much an endless answer got out). */
  bytesSent(): number;
  close(): Promise<void>;
}

/** The id of the `index`th container: 64 characters, as the daemon's, with the index readable in it. */
export function containerId(index: number): string {
  return `f${index}x`.padEnd(64, '0');
}

function containerDocument(index: number, running: boolean, privileged: boolean): Record<string, unknown> {
  return {
    Id: containerId(index),
    Name: `/fault-${index}`,
    Created: '2026-12-01T00:00:00Z',
    Config: { Image: 'busybox:1', User: '', Labels: {} },
    Image: 'sha256:'.padEnd(71, '1'),
    HostConfig: { Privileged: privileged, NetworkMode: 'bridge', RestartPolicy: { Name: 'no' } },
    State: { Running: running, Status: running ? 'running' : 'exited', Pid: running ? 100 + index : 0 },
    Mounts: [],
    NetworkSettings: { Ports: {} },
  };
}

/** The inspect document of the one image the daemon holds: one layer, never in a cache. */
function imageDocument(): Record<string, unknown> {
  return {
    Id: 'sha256:'.padEnd(71, '1'),
    RepoTags: ['fault-image:1'],
    Size: 1024,
    Config: { User: '' },
    RootFS: { Type: 'layers', Layers: ['sha256:'.padEnd(71, '2')] },
  };
}

/** The canned answer to `path`, or undefined for a 404. */
function cannedAnswer(path: string, options: Required<Pick<FaultDaemonOptions, 'containers' | 'running' | 'privileged'>> & Pick<FaultDaemonOptions, 'inspect'>): unknown {
  if (path === '/_ping') return 'OK';
  if (path === '/version') return { Version: '24.0.0', ApiVersion: '1.43', Os: 'linux', Arch: 'amd64', KernelVersion: '6.1.0' };
  if (path === '/info') return { Name: 'faulty', ServerVersion: '24.0.0', SecurityOptions: [], Swarm: { LocalNodeState: 'inactive' } };
  if (path.startsWith('/containers/json')) {
    return Array.from({ length: options.containers }, (_, index) => ({ Id: containerId(index), Names: [`/fault-${index}`] }));
  }
  const container = /^\/containers\/f(\d+)x0*\/(json|top)$/.exec(path);
  if (container) {
    const index = Number(container[1]);
    if (container[2] === 'top') return { Titles: ['UID', 'PID', 'CMD'], Processes: [['root', String(100 + index), 'sleep 1000']] };
    const document = containerDocument(index, index < options.running, index === 0 && options.privileged);
    return options.inspect ? options.inspect(index, document) : document;
  }
  // An image to scan: `fault-image`, and the image every container runs, by id.
  const image = /^\/images\/(fault-image|sha256:1{64})\/(json|history)$/.exec(path);
  if (image) return image[2] === 'history' ? [] : imageDocument();
  // Export streams: a large one, and a short one to trickle.
  if (path === '/images/large/get') return 'x'.repeat(2 << 20);
  if (path === '/images/slow/get') return 'tar bytes';
  if (path.startsWith('/images/json')) return [];
  if (path === '/networks') return [];
  if (path === '/volumes') return { Volumes: [] };
  return undefined;
}

export async function startFaultDaemon(options: FaultDaemonOptions = {}): Promise<FaultDaemon> {
  const directory = mkdtempSync(join(tmpdir(), 'da-fault-'));
  const socketPath = join(directory, 'docker.sock');
  const requests: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let sent = 0;
  const canned = { containers: options.containers ?? 0, running: options.running ?? 0, privileged: options.privileged ?? true, ...(options.inspect ? { inspect: options.inspect } : {}) };

  const answer = (response: ServerResponse, status: number, body: string): void => {
    response.statusCode = status;
    response.setHeader('Content-Type', 'application/json');
    sent += Buffer.byteLength(body);
    response.end(body);
  };

  const misbehave = (response: ServerResponse, fault: Fault, body: string): void => {
    if (typeof fault === 'object') return answer(response, fault.status, JSON.stringify({ message: fault.message }));
    response.setHeader('Content-Type', 'application/json');
    if (fault === 'stall') return void response.flushHeaders();
    if (fault === 'cut') {
      response.setHeader('Content-Length', String(body.length));
      response.write(body.slice(0, Math.floor(body.length / 2)));
      const timer = setTimeout(() => response.socket?.destroy(), 20);
      timers.add(timer);
      return;
    }
    if (fault === 'trickle') {
      let offset = 0;
      const timer = setInterval(() => {
        if (offset >= body.length) {
          clearInterval(timer);
          return void response.end();
        }
        sent += 1;
        response.write(body[offset++]);
      }, options.trickleMs ?? 50);
      timers.add(timer);
      response.on('close', () => clearInterval(timer));
      return;
    }
    // endless: an opening quote that never closes, then the same chunk for ever.
    const chunk = Buffer.alloc(64 * 1024, 'x');
    response.write('{"Padding":"');
    const pump = (): void => {
      while (!response.destroyed) {
        sent += chunk.length;
        if (!response.write(chunk)) return;
      }
    };
    response.on('drain', pump);
    pump();
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').replace(/^\/v\d+\.\d+/, '');
    requests.push(path);
    const canonical = cannedAnswer(path, canned);
    const body = canonical === undefined ? JSON.stringify({ message: `no such object: ${path}` }) : typeof canonical === 'string' ? canonical : JSON.stringify(canonical);
    // Trickled and endless answers pad the document so it cannot be complete before the deadline.
    const fault = options.fault?.(path);
    const padded = fault === 'trickle' && /^[[{]/.test(body) ? `${body.slice(0, -1)}${' '.repeat(10_000)}${body.slice(-1)}` : body;
    if (fault) return misbehave(response, fault, padded);
    answer(response, canonical === undefined ? 404 : 200, body);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));

  return {
    socketPath,
    address: `unix://${socketPath}`,
    requests,
    bytesSent: () => sent,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
