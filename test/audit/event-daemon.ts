/**
 * A stand-in Docker daemon for `watch`: a node http server on a unix socket, answering the
 * Engine API calls of an audit from a set of containers the test changes, streaming the events
 * the test sends on `GET /events`, and going down (every connection cut, every request refused)
 * and up again as a daemon restart does.
 */
import { createServer, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeContainer {
  name: string;
  privileged: boolean;
  running?: boolean;
}

export interface EventDaemon {
  address: string;
  /** Paths asked, in order, without the version prefix. */
  requests: string[];
  /** Adds or replaces a container (no event is sent). */
  set(container: FakeContainer): string;
  remove(name: string): void;
  /** Sends one event to every open stream; `time` is now unless given. */
  event(type: string, action: string, name: string): void;
  /** Event streams open now. */
  streams(): number;
  /** The image every container uses becomes known to the daemon, with a healthcheck (no event is sent). */
  addImage(): void;
  /** Answers requests whose path starts with `prefix` with a 500 (or again normally, with `false`). */
  failing(prefix: string, on: boolean): void;
  /** Cuts every connection and refuses every request until `up()`. */
  down(): void;
  up(): void;
  close(): Promise<void>;
}

/** A 64-character id readable from the name, as the daemon's. */
export function idOf(name: string): string {
  return Buffer.from(name).toString('hex').padEnd(64, '0').slice(0, 64);
}

function inspectOf(container: FakeContainer): Record<string, unknown> {
  const running = container.running === true;
  return {
    Id: idOf(container.name),
    Name: `/${container.name}`,
    Created: '2026-12-01T00:00:00Z',
    Config: { Image: 'busybox:1', User: '', Labels: {} },
    Image: IMAGE_ID,
    HostConfig: { Privileged: container.privileged, NetworkMode: 'bridge', RestartPolicy: { Name: 'no' } },
    State: { Running: running, Status: running ? 'running' : 'created', Pid: running ? 100 : 0 },
    Mounts: [],
    NetworkSettings: { Ports: {} },
  };
}

/** The image of every container. */
export const IMAGE_ID = 'sha256:'.padEnd(71, '1');

export async function startEventDaemon(): Promise<EventDaemon> {
  const directory = mkdtempSync(join(tmpdir(), 'da-events-'));
  const socketPath = join(directory, 'docker.sock');
  const containers = new Map<string, FakeContainer>();
  const streams = new Set<ServerResponse>();
  const requests: string[] = [];
  let isDown = false;
  let imageKnown = false;
  const failingPrefixes = new Set<string>();

  // By id as well, so that answering for one container is constant work however many there are.
  const ids = new Map<string, string>();
  const byId = (id: string): FakeContainer | undefined => {
    const name = ids.get(id);
    return name === undefined ? undefined : containers.get(name);
  };

  const answerOf = (path: string): unknown => {
    if (path === '/_ping') return 'OK';
    if (path === '/version') return { Version: '24.0.0', ApiVersion: '1.43', Os: 'linux', Arch: 'amd64', KernelVersion: '6.1.0' };
    if (path === '/info') return { Name: 'fake', ServerVersion: '24.0.0', SecurityOptions: ['name=seccomp,profile=builtin'], Swarm: { LocalNodeState: 'inactive' } };
    if (path.startsWith('/containers/json')) return [...containers.values()].map((container) => ({ Id: idOf(container.name), Names: [`/${container.name}`] }));
    const one = /^\/containers\/([0-9a-f]{64})\/(json|top)$/.exec(path);
    if (one) {
      const container = byId(one[1] as string);
      if (container === undefined) return undefined;
      return one[2] === 'top' ? { Titles: ['UID', 'PID', 'CMD'], Processes: [['root', '100', 'sleep 1000']] } : inspectOf(container);
    }
    if (path.startsWith('/images/json')) return imageKnown ? [{ Id: IMAGE_ID, RepoTags: ['busybox:1'] }] : [];
    if (imageKnown && path === `/images/${IMAGE_ID}/json`) return { Id: IMAGE_ID, RepoTags: ['busybox:1'], RepoDigests: [], Config: { User: '', Healthcheck: { Test: ['CMD', 'true'] } } };
    if (imageKnown && path === `/images/${IMAGE_ID}/history`) return [{ Id: IMAGE_ID, CreatedBy: '/bin/sh -c #(nop) HEALTHCHECK CMD true' }];
    if (path === '/networks') return [];
    if (path === '/volumes') return { Volumes: [] };
    return undefined;
  };

  const server = createServer((request, response) => {
    if (isDown) return void request.socket.destroy();
    const path = (request.url ?? '/').replace(/^\/v\d+\.\d+/, '');
    requests.push(path);
    if (path.startsWith('/events')) {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.flushHeaders();
      streams.add(response);
      response.on('close', () => streams.delete(response));
      return;
    }
    if ([...failingPrefixes].some((prefix) => path.startsWith(prefix))) {
      response.statusCode = 500;
      return void response.end(JSON.stringify({ message: 'injected failure' }));
    }
    const answer = answerOf(path);
    response.setHeader('Content-Type', 'application/json');
    response.statusCode = answer === undefined ? 404 : 200;
    response.end(answer === undefined ? JSON.stringify({ message: `No such container: ${path}` }) : typeof answer === 'string' ? answer : JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));

  return {
    address: `unix://${socketPath}`,
    requests,
    set(container) {
      const id = idOf(container.name);
      containers.set(container.name, container);
      ids.set(id, container.name);
      return id;
    },
    remove(name) {
      containers.delete(name);
      ids.delete(idOf(name));
    },
    event(type, action, name) {
      const nanos = BigInt(Date.now()) * 1_000_000n;
      const line = `{"Type":"${type}","Action":"${action}","Actor":{"ID":"${type === 'container' ? idOf(name) : name}","Attributes":{"name":"${name}"}},"scope":"local","time":${nanos / 1_000_000_000n},"timeNano":${nanos}}\n`;
      for (const stream of streams) stream.write(line);
    },
    streams: () => streams.size,
    addImage() {
      imageKnown = true;
    },
    failing(prefix, on) {
      if (on) failingPrefixes.add(prefix);
      else failingPrefixes.delete(prefix);
    },
    down() {
      isDown = true;
      for (const stream of streams) stream.destroy();
      server.closeAllConnections();
    },
    up() {
      isDown = false;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
