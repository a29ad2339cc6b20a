/**
 * A collection that fails part way leaves nothing unaudited in silence: every subject or section
 * it could not read is a problem marked `unaudited` (the CLI then exits 2), while a container
 * removed or stopped meanwhile stays a note.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectDocker } from '../../src/collect/docker.js';
import { EngineClient } from '../../src/collect/docker-api.js';
import { collectSnapshot } from '../../src/collect/index.js';
import { isUnavailable, type ContainerFacts } from '../../src/snapshot/types.js';
import { containerId, startFaultDaemon, type FaultDaemon, type FaultDaemonOptions } from './fault-daemon.js';

let daemon: FaultDaemon | undefined;

afterEach(async () => {
  await daemon?.close();
  daemon = undefined;
});

async function collect(options: FaultDaemonOptions) {
  daemon = await startFaultDaemon(options);
  return collectDocker(new EngineClient({ socketPath: daemon.socketPath, timeout: 2_000 }), daemon.address, { concurrency: 4 });
}

const inspectOf = (index: number): string => `/containers/${containerId(index)}/json`;
const topOf = (index: number): string => `/containers/${containerId(index)}/top`;

function names(containers: ContainerFacts[] | { unavailable: true }): string[] {
  if (isUnavailable(containers)) return [];
  return containers.map((facts) => String(facts.inspect['Name'])).sort();
}

describe('collectDocker when the daemon fails part way', () => {
  it('marks a container whose inspect failed as unaudited, and one removed meanwhile as a note', async () => {
    const collection = await collect({
      containers: 4,
      fault: (path) => (path === inspectOf(1) ? { status: 500, message: 'boom' } : path === inspectOf(2) ? { status: 404, message: 'No such container' } : undefined),
    });
    expect(names(collection.containers)).toEqual(['/fault-0', '/fault-3']);
    expect(collection.problems).toEqual([
      { scope: 'container', subject: 'fault-1', reason: `not inspected: GET ${inspectOf(1)}: HTTP 500: boom`, unaudited: true },
      { scope: 'container', subject: 'fault-2', reason: 'removed while the audit ran' },
    ]);
  });

  it('marks a running container whose processes could not be listed as unaudited, and one stopped meanwhile as a note', async () => {
    const collection = await collect({
      containers: 3,
      running: 3,
      fault: (path) => (path === topOf(0) ? { status: 500, message: 'ps failed' } : path === topOf(1) ? { status: 409, message: 'container is not running' } : undefined),
    });
    expect(names(collection.containers)).toEqual(['/fault-0', '/fault-1', '/fault-2']);
    const first = (collection.containers as ContainerFacts[]).find((facts) => facts.inspect['Name'] === '/fault-0');
    expect(first?.processes).toEqual({ unavailable: true, reason: `could not list processes: GET ${topOf(0)}: HTTP 500: ps failed` });
    expect(collection.problems).toEqual([
      { scope: 'container', subject: 'fault-0', reason: `processes not listed: GET ${topOf(0)}: HTTP 500: ps failed`, unaudited: true },
      { scope: 'container', subject: 'fault-1', reason: 'stopped while the audit ran' },
    ]);
  });

  it('makes a section whose list failed unavailable and unaudited', async () => {
    const collection = await collect({ containers: 2, fault: (path) => (path.startsWith('/containers/json') ? 'endless' : path === '/networks' ? 'cut' : undefined) });
    expect(isUnavailable(collection.containers)).toBe(true);
    expect(isUnavailable(collection.networks)).toBe(true);
    const problems = [...collection.problems].sort((a, b) => a.scope.localeCompare(b.scope));
    expect(problems).toEqual([
      { scope: 'container', reason: 'could not read container data: GET /containers/json?all=true: response body exceeded 64 MiB', unaudited: true },
      { scope: 'network', reason: expect.stringMatching(/^could not read network data: GET \/networks: the connection closed before the answer was complete/), unaudited: true },
    ]);
  });
});

describe('collectSnapshot under its target deadline', () => {
  it('ends a collection that stalls after a few containers, counting what was left unread', async () => {
    daemon = await startFaultDaemon({ containers: 20, fault: (path) => (/^\/containers\/f([5-9]|1\d)x/.test(path) ? 'stall' : undefined) });
    const started = Date.now();
    const snapshot = await collectSnapshot({
      host: daemon.address,
      env: {},
      hostRoot: mkdtempSync(join(tmpdir(), 'da-root-')),
      concurrency: 4,
      targetTimeoutMs: 400,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(names(snapshot.containers)).toEqual(['/fault-0', '/fault-1', '/fault-2', '/fault-3', '/fault-4']);
    expect(snapshot.problems.filter((problem) => problem.unaudited)).toEqual([
      { scope: 'container', reason: `15 containers not inspected: the collection from ${daemon.address} did not finish within 0.4 s`, unaudited: true },
    ]);
  });

  it('passes the size cap and the request deadline to the client', async () => {
    daemon = await startFaultDaemon({ fault: (path) => (path === '/info' ? 'trickle' : path === '/networks' ? 'endless' : undefined) });
    const snapshot = await collectSnapshot({
      host: daemon.address,
      env: {},
      hostRoot: mkdtempSync(join(tmpdir(), 'da-root-')),
      maxResponseBytes: 64 << 10,
      requestTimeoutMs: 300,
    });
    expect(snapshot.daemon).toEqual({ unavailable: true, reason: 'could not read daemon data: GET /info: no complete answer within 0.3 s' });
    expect(snapshot.networks).toEqual({ unavailable: true, reason: 'could not read network data: GET /networks: response body exceeded 64 KiB' });
  });
});
