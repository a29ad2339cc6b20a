/**
 * `dockaudit guard` reads the daemon's facts: in front of a real dockerd of this test's own,
 * started with `--no-new-privileges`, a container without `--security-opt no-new-privileges` is
 * admitted (the daemon sets it for every container, DA526 passes); a guard that cannot read the
 * facts (pointed at a socket where no daemon answers) refuses the same request: fail closed.
 * Everything it creates (guard, daemon, bridge, directories) is removed in afterAll.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, sleep } from '../../scripts/testbed/docker.mjs';
import { CLI, IMAGES } from './scenario.js';

const PLUGIN = `da-guard-facts-${process.pid}`;
const PLUGIN_SOCKET = `/run/docker/plugins/${PLUGIN}.sock`;
const BRIDGE = `dagdf${process.pid % 100000}`;
const BRIDGE_ADDRESS = '172.31.248.1/24';
/** Every high and critical rule passes, except that no-new-privileges is left to the daemon. */
const HARDENED_BUT_NNP = ['--user', '1000:1000', '--cap-drop', 'ALL', '--read-only', '--memory', '64m', '--memory-swap', '64m', '--pids-limit', '64', '--cpu-shares', '512', '--restart', 'on-failure:3'];

let root: string;
let daemonSocket: string;
let daemon: ChildProcess | undefined;
let guardProcess: ChildProcess | undefined;
let guardStderr = '';

function run(command: string, args: string[], timeoutMs = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
    });
  });
}

function second(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run('docker', ['-H', `unix://${daemonSocket}`, ...args]);
}

async function startGuard(host: string): Promise<void> {
  guardStderr = '';
  const child = spawn(process.execPath, [CLI, 'guard', '--socket', PLUGIN_SOCKET, '--mode', 'enforce', '--host', host], { stdio: ['ignore', 'ignore', 'pipe'] });
  guardProcess = child;
  child.stderr?.on('data', (chunk: Buffer) => (guardStderr += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (!existsSync(PLUGIN_SOCKET)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the guard did not start (exit ${child.exitCode}): ${guardStderr}`);
    await sleep(100);
  }
}

async function stopGuard(): Promise<void> {
  const child = guardProcess;
  guardProcess = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; guard stderr: ${guardStderr}`);
    await sleep(100);
  }
}

describe('dockaudit guard with the daemon facts', () => {
  beforeAll(async () => {
    root = mkdtempSync('/tmp/da-guard-facts-');
    daemonSocket = join(root, 'docker.sock');
    await run('ip', ['link', 'add', BRIDGE, 'type', 'bridge']);
    await run('ip', ['addr', 'add', BRIDGE_ADDRESS, 'dev', BRIDGE]);
    await run('ip', ['link', 'set', BRIDGE, 'up']);
    // The plugin must answer before the daemon starts; the facts are read once the daemon is up.
    await startGuard(`unix://${daemonSocket}`);
    daemon = spawn(
      'dockerd',
      ['--data-root', join(root, 'data'), '--exec-root', join(root, 'exec'), '--pidfile', join(root, 'dockerd.pid'), '-H', `unix://${daemonSocket}`, '--bridge', BRIDGE, '--iptables=false', '--no-new-privileges', `--authorization-plugin=${PLUGIN}`],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 60_000;
    while ((await second(['version'])).code !== 0) {
      if (Date.now() > deadline) throw new Error('the second dockerd did not start');
      await sleep(250);
    }
    const archive = join(root, 'busybox.tar');
    await docker(['save', '-o', archive, IMAGES.busybox]);
    const loaded = await second(['load', '-i', archive]);
    expect(loaded.code, loaded.stderr).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await stopGuard();
    const running = daemon;
    if (running && running.exitCode === null) {
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await Promise.race([exited, sleep(30_000)]);
      if (running.exitCode === null) running.kill('SIGKILL');
    }
    await run('ip', ['link', 'delete', BRIDGE]);
    rmSync(PLUGIN_SOCKET, { force: true });
    if (root) {
      await run('umount', ['-R', join(root, 'exec')]);
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);

  it('admits a container that leaves no-new-privileges to a daemon that sets it', async () => {
    await until(() => guardStderr.includes('daemon facts read'), 'the daemon facts');
    const created = await second(['create', '--name', 'facts-nnp', ...HARDENED_BUT_NNP, IMAGES.busybox, 'true']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect((await second(['rm', 'facts-nnp'])).code).toBe(0);
  });

  it('refuses it when the facts cannot be read, naming DA526', async () => {
    await stopGuard();
    await startGuard(`unix://${join(root, 'nothing-here.sock')}`);
    await until(() => guardStderr.includes("could not read the daemon's facts"), 'the failed read');
    const created = await second(['create', '--name', 'facts-unknown', ...HARDENED_BUT_NNP, IMAGES.busybox, 'true']);
    expect(created.code).not.toBe(0);
    expect(created.stderr).toContain(`authorization denied by plugin ${PLUGIN}`);
    expect(created.stderr).toContain('DA526');
    expect((await second(['ps', '-a', '-q', '--filter', 'name=facts-unknown'])).stdout.trim()).toBe('');
  });
});
