/**
 * `dockaudit watch` follows more than containers, on the real daemon: an image built and removed
 * (the image rules judge that image), an overlay network made and removed (DA703), and on a
 * single-node swarm a service created, updated and removed (its container and swarm rules, DA702
 * and DA704). Each change names the event that caused it.
 *
 * Everything made here is named `da-it-wev-*` and removed afterwards; the swarm is left only when
 * this file made it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../scripts/testbed/docker.mjs';
import { CLI, IMAGES } from './scenario.js';

interface ChangeLine {
  event: 'new' | 'resolved' | 'changed';
  finding: { ruleId: string; status: string; subject: { kind: string; id?: string; name?: string } };
  trigger: { type: string; action: string };
}

const PREFIX = `da-it-wev-${process.pid}`;
const IMAGE = `${PREFIX}-image:1`;
const NETWORK = `${PREFIX}-plain`;
const SERVICE = `${PREFIX}-svc`;
let createdSwarm = false;
let child: ChildProcessWithoutNullStreams | undefined;
let stdout = '';
let stderr = '';

function lines(): ChangeLine[] {
  return stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as ChangeLine);
}

async function until<T>(find: () => T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}; lines: ${stdout.slice(-3000)}; stderr: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function change(event: ChangeLine['event'], ruleId: string, kind: string, name: string): () => ChangeLine | undefined {
  return () => lines().find((line) => line.event === event && line.finding.ruleId === ruleId && line.finding.subject.kind === kind && line.finding.subject.name === name);
}

beforeAll(async () => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('DOCKAUDIT_')));
  child = spawn(process.execPath, [CLI, 'watch', '--format', 'json', '--no-baseline'], { cwd: tmpdir(), env, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await until(() => (stderr.includes('watching its events') ? true : undefined), 'the first audit', 120_000);
  // The swarm is made while watching (when this daemon has none): its node events judge it.
  const state = (await docker(['info', '--format', '{{.Swarm.LocalNodeState}}'])).trim();
  if (state === 'inactive') {
    await docker(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
    createdSwarm = true;
  }
}, 180_000);

afterAll(async () => {
  child?.kill('SIGKILL');
  await docker(['service', 'rm', SERVICE]).catch(() => undefined);
  await docker(['network', 'rm', NETWORK]).catch(() => undefined);
  await docker(['rmi', '-f', IMAGE]).catch(() => undefined);
  if (createdSwarm) await docker(['swarm', 'leave', '--force']).catch(() => undefined);
}, 60_000);

describe('dockaudit watch beyond containers', () => {
  it('judges a swarm made while watching on its node events (auto-lock off, DA705)', async () => {
    if (createdSwarm) {
      const made = await until(() => lines().find((line) => line.event === 'new' && line.finding.ruleId === 'DA705' && line.finding.subject.kind === 'swarm'), 'DA705 on the new swarm');
      expect(made.trigger.type).toBe('node');
    } else {
      // A swarm this file did not make: a node event is judged without a failure and changes nothing about the swarm.
      const nodeId = (await docker(['node', 'ls', '-q', '--filter', 'role=manager'])).trim().split('\n')[0] as string;
      const before = lines().length;
      await docker(['node', 'update', '--label-add', `da-it-wev=${process.pid}`, nodeId]);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await docker(['node', 'update', '--label-rm', 'da-it-wev', nodeId]);
      expect(stderr).not.toContain('could not be read');
      expect(lines().slice(before).filter((line) => line.trigger.type === 'node' && line.finding.subject.kind === 'swarm')).toEqual([]);
    }
  });

  it('judges an image built while watching with the image rules, and resolves them when it is removed', async () => {
    const context = mkdtempSync(join(tmpdir(), 'dockaudit-wev-'));
    try {
      writeFileSync(join(context, 'Dockerfile'), `FROM ${IMAGES.busybox}\nLABEL da-it-wev=${process.pid}\n`);
      await docker(['build', '-q', '-t', IMAGE, context], { env: { DOCKER_BUILDKIT: '0' }, timeoutMs: 120_000 });
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
    // The image runs as root: DA401 on that image, found because of an image event.
    const added = await until(change('new', 'DA401', 'image', IMAGE), 'DA401 on the new image');
    expect(added.trigger.type).toBe('image');
    await docker(['rmi', IMAGE]);
    // Untagged then deleted: resolved under its id (its name may have gone first).
    const gone = await until(() => lines().find((line) => line.event === 'resolved' && line.finding.ruleId === 'DA401' && line.finding.subject.id === added.finding.subject.id), 'DA401 resolved');
    expect(gone.trigger).toMatchObject({ type: 'image' });
  });

  it('judges the containers of a tag moved to another image (DA528), because of the image event', async () => {
    const moving = `${PREFIX}-moving:1`;
    const container = `${PREFIX}-on-moving`;
    const build = async (version: number): Promise<string> => {
      const context = mkdtempSync(join(tmpdir(), 'dockaudit-wev-'));
      try {
        writeFileSync(join(context, 'Dockerfile'), `FROM ${IMAGES.busybox}\nLABEL da-it-wev-version=${version}-${process.pid}\n`);
        return (await docker(['build', '-q', '-t', moving, context], { env: { DOCKER_BUILDKIT: '0' }, timeoutMs: 120_000 })).trim();
      } finally {
        rmSync(context, { recursive: true, force: true });
      }
    };
    const first = await build(1);
    try {
      await docker(['create', '--name', container, moving, 'sleep', '1']);
      await until(() => lines().find((line) => line.finding.subject.name === container), 'the container judged');
      expect(lines().find((line) => line.finding.ruleId === 'DA528' && line.finding.subject.name === container)).toBeUndefined();
      await build(2);
      const outdated = await until(change('new', 'DA528', 'container', container), 'DA528 on the container');
      expect(outdated.trigger.type).toBe('image');
    } finally {
      await docker(['rm', '-f', container]).catch(() => undefined);
      await docker(['rmi', '-f', moving, first]).catch(() => undefined);
    }
  });

  it('judges an overlay network made without encryption (DA703), and resolves it when removed', async () => {
    await docker(['network', 'create', '--driver', 'overlay', NETWORK]);
    const added = await until(change('new', 'DA703', 'network', NETWORK), 'DA703 on the network');
    // Network events queued together are one look at the list, under the latest of them.
    expect(added.trigger).toMatchObject({ type: 'network' });
    await docker(['network', 'rm', NETWORK]);
    const gone = await until(change('resolved', 'DA703', 'network', NETWORK), 'DA703 resolved');
    expect(gone.trigger).toMatchObject({ type: 'network' });
  });

  it('judges a service on create, update and remove, and only that service', async () => {
    const before = lines().length;
    await docker(['service', 'create', '--detach', '--no-resolve-image', '--name', SERVICE, '--env', 'DB_PASSWORD=not-a-real-one', '--publish', 'published=18191,target=80', '--stop-grace-period', '1s', IMAGES.busybox, 'sleep', '3600']);
    const secret = await until(change('new', 'DA704', 'service', SERVICE), 'DA704 on the service');
    expect(secret.trigger).toMatchObject({ type: 'service', action: 'create' });
    await until(change('new', 'DA702', 'service', SERVICE), 'DA702 on the service');
    // A container rule judges the service too (no memory limit, as for a container).
    await until(change('new', 'DA511', 'service', SERVICE), 'a container rule on the service');

    await docker(['service', 'update', '--detach', '--publish-rm', 'published=18191,target=80', SERVICE]);
    const unpublished = await until(change('resolved', 'DA702', 'service', SERVICE), 'DA702 resolved by the update');
    expect(unpublished.trigger).toMatchObject({ type: 'service', action: 'update' });
    expect(lines().find((line) => line.event === 'resolved' && line.finding.ruleId === 'DA704' && line.finding.subject.name === SERVICE)).toBeUndefined();

    await docker(['service', 'rm', SERVICE]);
    const removed = await until(change('resolved', 'DA704', 'service', SERVICE), 'DA704 resolved by the removal');
    expect(removed.trigger).toMatchObject({ type: 'service', action: 'remove' });
    // Service events changed findings of this service (and of its task containers), of nothing else.
    const serviceLines = lines().slice(before).filter((line) => line.trigger.type === 'service');
    expect(serviceLines.every((line) => line.finding.subject.kind === 'service' && line.finding.subject.name === SERVICE)).toBe(true);
  });
});
