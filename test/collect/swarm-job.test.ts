/**
 * The Swarm job against a stand-in manager (an HTTP server on a unix socket): the checks before
 * anything is created, the job's spec by engine version, the reports read back from multiplexed
 * task logs, and the job removed whatever happens.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CollectionError } from '../../src/errors.js';
import { frameReport } from '../../src/collect/swarm-frames.js';
import { openSwarm, type SwarmJobOptions } from '../../src/collect/swarm-job.js';

interface Manager {
  address: string;
  created: Record<string, unknown>[];
  removed: string[];
  close(): Promise<void>;
}

interface Behaviour {
  apiVersion?: string;
  swarm?: { LocalNodeState: string; ControlAvailable: boolean };
  nodes?: Record<string, unknown>[];
  /** The tasks listed for the job; the run id of the spec is handed in. */
  tasks?: (run: string) => Record<string, unknown>[] | 'fail';
  /** The stdout a task's logs hold. */
  logs?: (taskId: string, run: string) => string;
  /** The job is created, but its answer never comes. */
  createHangs?: boolean;
  /** Task logs are answered with headers, then nothing more. */
  logsHang?: boolean;
}

const servers: Manager[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function node(id: string, hostname: string, role: 'manager' | 'worker', state = 'ready'): Record<string, unknown> {
  return { ID: id, Description: { Hostname: hostname, Engine: { EngineVersion: '20.10.24' } }, Spec: { Role: role, Availability: 'active' }, Status: { State: state, Addr: `10.0.0.${id.length}` } };
}

/** Log frames as the daemon sends them: an 8-byte header (stream, size) before each piece. */
function multiplexed(text: string): Buffer {
  const parts: Buffer[] = [];
  // Pieces of odd sizes: a line may be cut across frames.
  for (let start = 0; start < text.length; start += 777) {
    const payload = Buffer.from(text.slice(start, start + 777));
    const header = Buffer.alloc(8);
    header[0] = 1;
    header.writeUInt32BE(payload.length, 4);
    parts.push(header, payload);
  }
  const noise = Buffer.from('a line on stderr\n');
  const header = Buffer.alloc(8);
  header[0] = 2;
  header.writeUInt32BE(noise.length, 4);
  return Buffer.concat([header, noise, ...parts]);
}

async function startManager(behaviour: Behaviour): Promise<Manager> {
  const socket = join(mkdtempSync(join(tmpdir(), 'da-swarm-')), 'docker.sock');
  const created: Record<string, unknown>[] = [];
  const removed: string[] = [];
  let run = '';
  const json = (response: ServerResponse, status: number, body: unknown): void => {
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://docker');
      const path = url.pathname;
      if (path === '/info') return json(response, 200, { Name: 'mgr', Swarm: { ...(behaviour.swarm ?? { LocalNodeState: 'active', ControlAvailable: true }), Cluster: { ID: 'cluster0123456789' } } });
      if (path === '/version') return json(response, 200, { Version: '20.10.24', ApiVersion: behaviour.apiVersion ?? '1.41' });
      if (path === '/nodes') return json(response, 200, behaviour.nodes ?? [node('n1', 'alpha', 'manager'), node('n22', 'beta', 'worker')]);
      if (path === '/services/create') {
        const spec = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        created.push(spec);
        run = String((spec['Labels'] as Record<string, string>)['dockaudit.swarm-run']);
        if (behaviour.createHangs) return;
        return json(response, 201, { ID: 'svc1' });
      }
      if (request.method === 'DELETE' && path.startsWith('/services/')) {
        removed.push(path.slice('/services/'.length));
        return json(response, 200, '');
      }
      if (path === '/tasks') {
        const tasks = behaviour.tasks?.(run) ?? [];
        return tasks === 'fail' ? json(response, 500, { message: 'manager lost quorum' }) : json(response, 200, tasks);
      }
      const logs = /^\/tasks\/([^/]+)\/logs$/.exec(path);
      if (logs && behaviour.logsHang) {
        response.writeHead(200, { 'Content-Type': 'application/vnd.docker.multiplexed-stream' });
        response.flushHeaders();
        return;
      }
      if (logs) {
        response.writeHead(200, { 'Content-Type': 'application/vnd.docker.multiplexed-stream' });
        return response.end(multiplexed(behaviour.logs?.(logs[1] as string, run) ?? ''));
      }
      return json(response, 404, { message: `no route ${path}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  const manager = { address: `unix://${socket}`, created, removed, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  servers.push(manager);
  return manager;
}

function options(manager: Manager, extra: Partial<SwarmJobOptions> = {}): SwarmJobOptions {
  return { host: manager.address, env: {}, image: 'dockaudit:9.9.9', timeoutMs: 5_000, socket: '/var/run/docker.sock', nodeArgs: ['--target-timeout', '3000ms'], nodeEnv: ['A=1'], ...extra };
}

const task = (id: string, nodeId: string, state: string, extra: Record<string, unknown> = {}) => ({ ID: id, NodeID: nodeId, UpdatedAt: '2026-12-07T00:00:00Z', Status: { State: state, ...extra } });

describe('openSwarm', () => {
  it('refuses a daemon outside a swarm, and a worker, before creating anything', async () => {
    const outside = await startManager({ swarm: { LocalNodeState: 'inactive', ControlAvailable: false } });
    await expect(openSwarm(options(outside))).rejects.toThrow(new CollectionError(`--swarm needs a Swarm manager: the daemon at ${outside.address} is not in a swarm (swarm state: inactive)`));
    const worker = await startManager({ swarm: { LocalNodeState: 'active', ControlAvailable: false } });
    await expect(openSwarm(options(worker))).rejects.toThrow(/is a worker node; run it against a manager/);
    expect([...outside.created, ...worker.created]).toEqual([]);
  });

  it('runs a one-shot global job on API 1.41, a global service without restarts before it', async () => {
    for (const [apiVersion, mode] of [['1.41', { GlobalJob: {} }], ['1.40', { Global: {} }]] as const) {
      const manager = await startManager({ apiVersion, tasks: () => [task('t1', 'n1', 'complete'), task('t2', 'n22', 'complete')], logs: (_id, run) => `${frameReport('{"ok":1}', run).join('\n')}\n` });
      const swarm = await openSwarm(options(manager, { socket: '/srv/{{.Node.ID}}.sock' }));
      expect(swarm.jobs).toBe(apiVersion === '1.41');
      const results = await swarm.run();
      expect(results.map((result) => ('report' in result ? result.report : result.reason))).toEqual(['{"ok":1}', '{"ok":1}']);
      const spec = manager.created[0] as { Mode: unknown; TaskTemplate: { ContainerSpec: { Args: string[]; Mounts: unknown[]; ReadOnly: boolean; Env: string[] }; RestartPolicy: unknown } };
      expect(spec.Mode).toEqual(mode);
      expect(spec.TaskTemplate.RestartPolicy).toEqual({ Condition: 'none', MaxAttempts: 0 });
      expect(spec.TaskTemplate.ContainerSpec.Args).toEqual(['audit', '--swarm-node', expect.stringMatching(/^[0-9a-f]{16}$/), '--host-root', '/host', '--target-timeout', '3000ms']);
      expect(spec.TaskTemplate.ContainerSpec.Mounts).toContainEqual({ Type: 'bind', Source: '/', Target: '/host', ReadOnly: true });
      expect(spec.TaskTemplate.ContainerSpec.Mounts).toContainEqual({ Type: 'bind', Source: '/srv/{{.Node.ID}}.sock', Target: '/var/run/docker.sock', ReadOnly: true });
      expect(spec.TaskTemplate.ContainerSpec.ReadOnly).toBe(true);
      // Every capability dropped but reading root-only files, where the engine takes them.
      const containerSpec = spec.TaskTemplate.ContainerSpec as { CapabilityDrop?: string[]; CapabilityAdd?: string[] };
      if (apiVersion === '1.41') {
        expect(containerSpec.CapabilityDrop).toEqual(['ALL']);
        expect(containerSpec.CapabilityAdd).toEqual(['CAP_DAC_READ_SEARCH']);
      } else {
        expect(containerSpec).not.toHaveProperty('CapabilityDrop');
        expect(containerSpec).not.toHaveProperty('CapabilityAdd');
      }
      expect(manager.removed).toEqual(['svc1']);
    }
  });

  it('gives each node that could not answer its reason: down, image missing, no report, too slow', async () => {
    const manager = await startManager({
      nodes: [node('n1', 'alpha', 'manager'), node('n22', 'beta', 'worker'), node('n333', 'gamma', 'worker', 'down'), node('n4444', 'delta', 'worker'), node('n55555', 'eps', 'worker')],
      tasks: () => [
        task('t1', 'n1', 'complete'),
        task('t2', 'n22', 'rejected', { Err: 'No such image: dockaudit:9.9.9' }),
        task('t4', 'n4444', 'running'),
        task('t5', 'n55555', 'failed', { Err: 'task: non-zero exit (2)', ContainerStatus: { ExitCode: 2 } }),
      ],
      logs: (id, run) => (id === 't1' ? frameReport('{"ok":1}', run).join('\n') : 'dockaudit: cannot read the config\n'),
    });
    const results = await (await openSwarm(options(manager, { timeoutMs: 1_500 }))).run();
    const byHost = Object.fromEntries(results.map((result) => [result.node.hostname, 'report' in result ? result.report : result.reason]));
    expect(byHost).toEqual({
      alpha: '{"ok":1}',
      beta: 'the image dockaudit:9.9.9 is not on this node (No such image: dockaudit:9.9.9): load it there, e.g. docker save dockaudit:9.9.9 | docker -H NODE load',
      gamma: 'the node is down: no task can run on it',
      delta: 'the node did not answer within 1.5 s (its audit task is running)',
      eps: 'its audit task ended failed, exit 2: task: non-zero exit (2) (a line on stderr)',
    });
    expect(manager.removed).toEqual(['svc1']);
  });

  it('reads the logs of all nodes within one grace period after the deadline, however many nodes hold their logs open', async () => {
    const ids = Array.from({ length: 17 }, (_, index) => `node${String(index).padStart(2, '0')}`);
    const manager = await startManager({ nodes: ids.map((id) => node(id, id, 'worker')), tasks: () => ids.map((id) => task(`t-${id}`, id, 'complete')), logsHang: true });
    const started = Date.now();
    const results = await (await openSwarm(options(manager, { timeoutMs: 1_000 }))).run();
    const elapsed = Date.now() - started;
    expect(results).toHaveLength(17);
    expect(results.every((result) => 'reason' in result && /logs/.test(result.reason))).toBe(true);
    // 1 s for the nodes, then 10 s for every log together: not 10 s per round of 8 nodes.
    expect(elapsed).toBeLessThan(16_000);
    expect(manager.removed).toEqual(['svc1']);
  }, 60_000);

  it('removes the job by its name when it may exist but its creation was not answered', async () => {
    const manager = await startManager({ createHangs: true });
    const swarm = await openSwarm(options(manager, { requestTimeoutMs: 300 }));
    await expect(swarm.run()).rejects.toThrow(/cannot create the audit job/);
    expect(manager.created).toHaveLength(1);
    expect(manager.removed).toEqual([swarm.serviceName]);
    expect(swarm.serviceName).toMatch(/^dockaudit-audit-[0-9a-f]{16}$/);
  });

  it('removes the job when the run fails, and when it is stopped', async () => {
    const failing = await startManager({ tasks: () => 'fail' });
    await expect((await openSwarm(options(failing))).run()).rejects.toThrow(/manager lost quorum/);
    expect(failing.removed).toEqual(['svc1']);

    const stopped = await startManager({ tasks: () => [task('t1', 'n1', 'running')] });
    const controller = new AbortController();
    const registered: (() => Promise<void>)[] = [];
    const swarm = await openSwarm(options(stopped, { timeoutMs: 60_000, signal: controller.signal, onCreated: (remove) => (registered.push(remove), () => undefined) }));
    const running = swarm.run();
    setTimeout(() => controller.abort(new Error('stopped')), 300);
    await expect(running).rejects.toThrow();
    expect(registered).toHaveLength(1);
    expect(stopped.removed).toEqual(['svc1']);
  });
});
