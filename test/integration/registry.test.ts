/**
 * DA462 against a real registry: Debian's docker-registry (the Registry v2 API of
 * distribution) started by the test on a loopback port with a filesystem store. A busybox image
 * is pushed, a container created from its tag, and `audit --check-registry` finds it current;
 * a new image pushed under the same tag makes the container's image outdated.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../scripts/testbed/docker.mjs';
import { IMAGES, buildTestImages } from '../../scripts/testbed/images.mjs';
import { LABEL_KEY, LABEL_VALUE, auditToFile, scratchDir, type ReportFinding } from './scenario.js';

const REGISTRY_BINARY = '/usr/bin/docker-registry';
const CONTAINER = 'da-it-registry-current';
/** A container of an image named as if it came from Docker Hub, which cannot be reached here. */
const HUB_CONTAINER = 'da-it-registry-hub';
const HUB_REFERENCE = 'da-test/hub-lookalike:1';
let registry: ChildProcess | undefined;
let port: number;
let reference: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: chosen } = server.address() as { port: number };
      server.close(() => resolve(chosen));
    });
  });
}

async function waitForRegistry(): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/v2/`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('docker-registry did not start');
}

/** Builds a one-layer variant of the busybox image (a label of its own) and pushes it under the tag. */
async function pushVersion(version: string): Promise<void> {
  const context = join(scratchDir(), `v${version}`);
  mkdirSync(context);
  writeFileSync(join(context, 'Dockerfile'), `FROM ${IMAGES.busybox}\nLABEL ${LABEL_KEY}="${LABEL_VALUE}" dockaudit.registry.version="${version}"\nRUN echo ${version} > /version\n`);
  await docker(['build', '-q', '-t', reference, context], { env: { DOCKER_BUILDKIT: '0' }, timeoutMs: 300_000 });
  await docker(['push', reference], { timeoutMs: 300_000 });
}

function da462(findings: ReportFinding[]): ReportFinding[] {
  return findings.filter((finding) => finding.ruleId === 'DA462');
}

beforeAll(async () => {
  await buildTestImages();
  const work = scratchDir();
  port = await freePort();
  reference = `localhost:${port}/da-test/registry-app:1`;
  const config = join(work, 'registry.yml');
  writeFileSync(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(work, 'store')}\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  registry = spawn(REGISTRY_BINARY, ['serve', config], { stdio: 'ignore' });
  await waitForRegistry();
  await pushVersion('1');
  await docker(['rm', '-f', CONTAINER]).catch(() => undefined);
  await docker(['create', '--name', CONTAINER, '--label', `${LABEL_KEY}=${LABEL_VALUE}`, reference, 'sleep', '60']);
  await docker(['tag', IMAGES.busybox, HUB_REFERENCE]);
  await docker(['rm', '-f', HUB_CONTAINER]).catch(() => undefined);
  await docker(['create', '--name', HUB_CONTAINER, '--label', `${LABEL_KEY}=${LABEL_VALUE}`, HUB_REFERENCE, 'sleep', '60']);
}, 600_000);

afterAll(async () => {
  await docker(['rm', '-f', CONTAINER, HUB_CONTAINER]).catch(() => undefined);
  await docker(['rmi', '-f', reference, HUB_REFERENCE]).catch(() => undefined);
  registry?.kill('SIGTERM');
});

describe('dockaudit audit --check-registry', () => {
  it('finds a container current while the tag names its image, and outdated once a new image is pushed under the tag', async () => {
    const first = await auditToFile(['--check-registry', '--registry-timeout', '3']);
    const current = da462(first.report.findings).filter((finding) => finding.subject.name === reference);
    expect(current.map((finding) => [finding.status, finding.messageId])).toEqual([['pass', 'current']]);
    expect(current[0]?.message).toContain(CONTAINER);

    await pushVersion('2');
    const second = await auditToFile(['--check-registry', '--registry-timeout', '3']);
    const outdated = da462(second.report.findings).filter((finding) => finding.subject.name === reference);
    expect(outdated.map((finding) => [finding.status, finding.messageId])).toEqual([['fail', 'newer']]);
    expect(outdated[0]?.message).toContain(`${CONTAINER} run(s) image`);

    // Images named as if from Docker Hub cannot be asked here (no network): skipped with the reason, within the deadlines.
    const hub = da462(second.report.findings).find((finding) => finding.subject.name === HUB_REFERENCE);
    expect(hub).toMatchObject({ status: 'skipped', messageId: 'unreachable' });
  });

  it('does not go to the network without --check-registry', async () => {
    const { report } = await auditToFile([]);
    expect(da462(report.findings)).toEqual([]);
  });
});
