/**
 * `dockaudit watch` with several targets on the real daemon: the same daemon under two addresses
 * and one that does not answer. Each change names its target, the dead one keeps reconnecting on
 * its own, and the metrics show each target apart.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { docker } from '../../scripts/testbed/docker.mjs';
import { CLI, IMAGES, LABEL_KEY, LABEL_VALUE } from './scenario.js';

interface ChangeLine {
  event: string;
  target?: string;
  finding: { ruleId: string; subject: { name?: string } };
}

const NAME = `da-it-wtargets-${process.pid}-${Date.now()}`;
let child: ChildProcessWithoutNullStreams | undefined;

afterAll(async () => {
  child?.kill('SIGKILL');
  await docker(['rm', '-f', NAME]).catch(() => undefined);
});

async function until<T>(find: () => T | undefined | false, what: string, stderr: () => string, timeoutMs = 60_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const found = find();
    if (found !== undefined && found !== false) return found;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}; stderr: ${stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('dockaudit watch --host … --host …', () => {
  it('names the target of each change, and one target down does not stop the others', async () => {
    const address = process.env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock';
    const socket = address.replace(/^unix:\/\//, '');
    expect(socket.startsWith('/')).toBe(true);
    const dead = 'unix:///nonexistent/dockaudit-test.sock';
    const metricsPort = await freePort();
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('DOCKAUDIT_') && key !== 'DOCKER_HOST'));
    child = spawn(process.execPath, [CLI, 'watch', '--no-baseline', '--host', `unix://${socket}`, '--host', socket, '--host', dead, '--max-backoff', '1s', '--metrics', `127.0.0.1:${metricsPort}`], { cwd: tmpdir(), env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = (): ChangeLine[] => stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as ChangeLine);
    const exit = new Promise<number | null>((resolve) => child?.on('close', (code) => resolve(code)));
    await until(() => (stderr.match(/watching its events/g) ?? []).length >= 2, 'both live targets audited', () => stderr, 120_000);
    expect(stderr).toContain(`${dead}: `);

    await docker(['create', '--privileged', '--name', NAME, '--label', `${LABEL_KEY}=${LABEL_VALUE}`, IMAGES.busybox, 'sleep', '1']);
    const privileged = (): ChangeLine[] => lines().filter((line) => line.event === 'new' && line.finding.ruleId === 'DA505' && line.finding.subject.name === NAME);
    await until(() => privileged().length >= 2, 'DA505 from both targets', () => stderr);
    expect(privileged().map((line) => line.target).sort()).toEqual([socket, `unix://${socket}`].sort());
    expect(lines().every((line) => line.target !== undefined && line.target !== dead)).toBe(true);

    // The dead target keeps trying on its own.
    await until(() => (stderr.match(new RegExp(`${dead.replace(/[/.]/g, '\\$&')}: reconnecting`, 'g')) ?? []).length >= 2, 'the dead target retried', () => stderr);
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toContain(`dockaudit_watch_connected{target="${dead}"} 0\n`);
    expect(metrics).toContain(`dockaudit_watch_connected{target="unix://${socket}"} 1\n`);
    expect(metrics).toContain(`dockaudit_watch_connected{target="${socket}"} 1\n`);
    expect(metrics.match(/# TYPE dockaudit_watch_connected /g)).toHaveLength(1);

    child.kill('SIGTERM');
    expect(await exit).toBe(143);
  });
});
