/**
 * `dockaudit guard` in front of a real dockerd: a second daemon started by this test with
 * `--authorization-plugin`, its own data and exec roots, socket and bridge, and the test image
 * loaded into it. Everything it creates (guard, daemon, bridge, directories) is removed in
 * afterAll, whatever happened before.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, sleep } from '../../scripts/testbed/docker.mjs';
import { CLI, IMAGES } from './scenario.js';

const PLUGIN = `da-guard-${process.pid}`;
const PLUGIN_SOCKET = `/run/docker/plugins/${PLUGIN}.sock`;
const BRIDGE = `dagrd${process.pid % 100000}`;
const BRIDGE_ADDRESS = '172.31.251.1/24';

let root: string;
let daemonSocket: string;
let daemon: ChildProcess | undefined;
let guardProcess: ChildProcess | undefined;
let guardLog: string[] = [];

function run(command: string, args: string[], timeoutMs = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
    });
  });
}

/** `docker` against the second daemon. */
function second(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run('docker', ['-H', `unix://${daemonSocket}`, ...args]);
}

/** A raw Engine API request to the second daemon, with exactly the body given (or none). */
function rawRequest(method: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    const outgoing = request({ socketPath: daemonSocket, method, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

async function startGuard(mode: 'enforce' | 'dry-run'): Promise<void> {
  guardLog = [];
  const child = spawn(process.execPath, [CLI, 'guard', '--socket', PLUGIN_SOCKET, '--mode', mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  guardProcess = child;
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    guardLog.push(...lines);
  });
  const deadline = Date.now() + 30_000;
  while (!existsSync(PLUGIN_SOCKET)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the guard did not start (exit ${child.exitCode})`);
    await sleep(100);
  }
}

async function stopGuard(): Promise<number | null> {
  const child = guardProcess;
  guardProcess = undefined;
  if (!child || child.exitCode !== null) return child?.exitCode ?? null;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

async function waitForDaemon(): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { code, stderr } = await second(['version', '--format', '{{.Server.Version}}']);
    if (code === 0) return;
    if (Date.now() > deadline || (daemon?.exitCode ?? null) !== null) throw new Error(`the second dockerd did not start: ${stderr.trim()}`);
    await sleep(250);
  }
}

async function startDaemon(withPlugin: boolean): Promise<void> {
  daemon = spawn(
    'dockerd',
    [
      '--data-root', join(root, 'data'),
      '--exec-root', join(root, 'exec'),
      '--pidfile', join(root, 'dockerd.pid'),
      '-H', `unix://${daemonSocket}`,
      '--bridge', BRIDGE,
      '--iptables=false',
      ...(withPlugin ? [`--authorization-plugin=${PLUGIN}`] : []),
    ],
    { stdio: 'ignore' },
  );
  await waitForDaemon();
}

async function stopDaemon(): Promise<void> {
  const running = daemon;
  daemon = undefined;
  if (!running || running.exitCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  running.kill('SIGTERM');
  await Promise.race([exited, sleep(30_000)]);
  if (running.exitCode === null) {
    running.kill('SIGKILL');
    await Promise.race([exited, sleep(5_000)]);
  }
}

async function restartDaemon(withPlugin: boolean): Promise<void> {
  await stopDaemon();
  await startDaemon(withPlugin);
}

function records(): Record<string, unknown>[] {
  return guardLog.filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Options of a container every high and critical rule passes. */
const HARDENED = ['--user', '1000:1000', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges:true', '--read-only', '--memory', '64m', '--memory-swap', '64m', '--pids-limit', '64', '--cpu-shares', '512', '--restart', 'on-failure:3'];

describe('dockaudit guard in front of a real dockerd', () => {
  beforeAll(async () => {
    root = mkdtempSync('/tmp/da-guard-');
    daemonSocket = join(root, 'docker.sock');
    await run('ip', ['link', 'add', BRIDGE, 'type', 'bridge']);
    await run('ip', ['addr', 'add', BRIDGE_ADDRESS, 'dev', BRIDGE]);
    await run('ip', ['link', 'set', BRIDGE, 'up']);
    await startGuard('enforce');
    await startDaemon(true);
    const archive = join(root, 'busybox.tar');
    await docker(['save', '-o', archive, IMAGES.busybox]);
    const loaded = await second(['load', '-i', archive]);
    expect(loaded.code, loaded.stderr).toBe(0);
  });

  afterAll(async () => {
    await stopGuard();
    await stopDaemon();
    await run('ip', ['link', 'delete', BRIDGE]);
    rmSync(PLUGIN_SOCKET, { force: true });
    if (root) {
      // A daemon's exec root may keep mounts for a moment after it exits.
      await run('umount', ['-R', join(root, 'exec')]);
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses a privileged create with DA505 in the error, and logs the refusal', async () => {
    const created = await second(['create', '--name', 'guard-privileged', '--privileged', IMAGES.busybox, 'true']);
    expect(created.code).not.toBe(0);
    expect(created.stderr).toContain(`authorization denied by plugin ${PLUGIN}`);
    expect(created.stderr).toContain('DA505 container runs privileged');
    expect(records()).toContainEqual(expect.objectContaining({ verdict: 'refuse', kind: 'container-create', name: 'guard-privileged' }));
    expect((await second(['ps', '-a', '-q', '--filter', 'name=guard-privileged'])).stdout.trim()).toBe('');
  });

  it('admits a hardened create', async () => {
    const created = await second(['create', '--name', 'guard-hardened', ...HARDENED, IMAGES.busybox, 'true']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(records()).toContainEqual(expect.objectContaining({ verdict: 'allow', kind: 'container-create', name: 'guard-hardened' }));
    expect((await second(['rm', 'guard-hardened'])).code).toBe(0);
  });

  it('refuses a create whose body is missing or unparseable, before the daemon reads it', async () => {
    const missing = await rawRequest('POST', '/v1.41/containers/create?name=guard-nobody');
    expect(missing.status).toBe(403);
    expect(missing.text).toContain('did not receive the request body');
    const broken = await rawRequest('POST', '/v1.41/containers/create?name=guard-broken', '{"Image":"da-test/busybox:1","HostConfig":{"Privileged":tr');
    expect(broken.status).toBe(403);
    expect(broken.text).toContain('not valid JSON');
  });

  it('a create spelled another way is refused by the guard, redirected or not routed by the daemon, never created', async () => {
    const body = JSON.stringify({ Image: IMAGES.busybox, HostConfig: { Privileged: true } });
    for (const path of ['//v1.41//containers/create?name=guard-slashes', '/v1.41/containers/./create?name=guard-dot', '/V1.41/CONTAINERS/create?name=guard-upper']) {
      const answer = await rawRequest('POST', path, body);
      // 301: the daemon redirects to the cleaned path, which the guard then judges.
      expect([301, 403, 404], `${path}: ${answer.status} ${answer.text}`).toContain(answer.status);
    }
    expect((await second(['ps', '-a', '-q', '--filter', 'name=guard-'])).stdout.trim()).toBe('');
  });

  it('lets requests that are not guarded through untouched', async () => {
    const listed = await second(['ps', '-a']);
    expect(listed.code).toBe(0);
    expect((await second(['images', '-q'])).stdout.trim()).not.toBe('');
  });

  it('dry-run admits a privileged create and logs that it would refuse it', async () => {
    await stopGuard();
    await startGuard('dry-run');
    const created = await second(['create', '--name', 'guard-dry', '--privileged', IMAGES.busybox, 'true']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const logged = records().find((record) => record['name'] === 'guard-dry');
    expect(logged).toMatchObject({ verdict: 'would-refuse', mode: 'dry-run' });
    expect(logged?.['rules']).toContain('DA505');
    expect((await second(['rm', 'guard-dry'])).code).toBe(0);
  });

  it('with the plugin stopped, the daemon refuses every request (Docker fails closed)', async () => {
    expect(await stopGuard()).toBe(143);
    expect(existsSync(PLUGIN_SOCKET)).toBe(false);
    const started = performance.now();
    const listed = await second(['ps']);
    const waited = performance.now() - started;
    expect(listed.code).not.toBe(0);
    expect(listed.stderr).toContain(PLUGIN);
    console.log(`with the plugin stopped, docker ps failed after ${Math.round(waited)} ms: ${listed.stderr.trim().split('\n').pop()}`);
    const created = await second(['create', ...HARDENED, IMAGES.busybox, 'true']);
    expect(created.code).not.toBe(0);
    // Back in service as soon as the plugin answers again.
    await startGuard('enforce');
    expect((await second(['ps'])).code).toBe(0);
  });

  it('measures what the guard adds to a container create (figures on stdout, no threshold)', async () => {
    const body = JSON.stringify({ Image: IMAGES.busybox, User: '1000:1000', HostConfig: { CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges:true'], ReadonlyRootfs: true, Memory: 67108864, MemorySwap: 67108864, PidsLimit: 64, CpuShares: 512, RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 } } });
    const createAndRemove = async (): Promise<number> => {
      const started = performance.now();
      const created = await rawRequest('POST', '/v1.41/containers/create', body);
      const elapsed = performance.now() - started;
      expect(created.status, created.text).toBe(201);
      const { Id: id } = JSON.parse(created.text) as { Id: string };
      expect((await rawRequest('DELETE', `/v1.41/containers/${id}`)).status).toBe(204);
      return elapsed;
    };
    const listContainers = async (): Promise<number> => {
      const started = performance.now();
      expect((await rawRequest('GET', '/v1.41/containers/json?all=1')).status).toBe(200);
      return performance.now() - started;
    };
    const sample = async (operation: () => Promise<number>, count: number): Promise<number[]> => {
      for (let index = 0; index < 5; index += 1) await operation();
      const times: number[] = [];
      for (let index = 0; index < count; index += 1) times.push(await operation());
      return times.sort((a, b) => a - b);
    };
    const stats = (times: number[]): string => `median ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms, p95 ${times[Math.floor(times.length * 0.95)]!.toFixed(1)} ms`;
    // Rounds with and without the plugin alternate, so a busy machine weighs on both alike.
    const lines: string[] = [];
    let decisions: number[] = [];
    for (const withPlugin of [true, false, true, false]) {
      await restartDaemon(withPlugin);
      guardLog = [];
      const creates = await sample(createAndRemove, 30);
      const lists = await sample(listContainers, 30);
      if (withPlugin) decisions = [...decisions, ...records().map((record) => Number(record['decisionMs'])).slice(5)];
      lines.push(`${withPlugin ? 'with the guard' : 'without      '}: create ${stats(creates)}; GET /containers/json ${stats(lists)}`);
    }
    await restartDaemon(true);
    decisions.sort((a, b) => a - b);
    console.log([...lines, `guard decision for a create: ${stats(decisions)}`].join('\n'));
    expect(decisions.length).toBe(60);
  });
});
