/**
 * DA461 end to end: `dockaudit db update` downloads an ecosystem zip from a local HTTP server
 * (there is no network here) into the cache, and `dockaudit image` matches the packages of a
 * real Debian root filesystem (debootstrap) against it, with the versions dpkg really installed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEBIAN_ROOTFS_TAR, IMAGE_FIXTURES, buildImageFixtures } from '../../scripts/testbed/image-fixtures.mjs';
import { contextId } from '../../src/collect/contexts.js';
import { dpkgPackages } from '../../src/views/installed-packages.js';
import { zipOf } from '../helpers/zip.js';
import { docker } from '../../scripts/testbed/docker.mjs';
import { LABEL_KEY, LABEL_VALUE, runCli, scratchDir, type ReportJson } from './scenario.js';

let work: string;
let server: Server;
let source: string;
let glibc: { version: string };
let served: Buffer;

function advisory(id: string, name: string, events: Record<string, string>[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ id, upstream: [`CVE-2099-${/9\d{3}/.exec(id)?.[0] ?? '0000'}`], ...extra, affected: [{ package: { ecosystem: 'Debian:12', name }, ranges: [{ type: 'ECOSYSTEM', events }] }] });
}

beforeAll(async () => {
  await buildImageFixtures();
  work = scratchDir();
  const status = execFileSync('tar', ['-xOf', DEBIAN_ROOTFS_TAR, './var/lib/dpkg/status'], { maxBuffer: 64 << 20 }).toString();
  const installed = dpkgPackages(status);
  const libc = installed.find((item) => item.source === 'glibc');
  const zlib = installed.find((item) => item.source === 'zlib');
  if (!libc || !zlib) throw new Error('the Debian fixture has no glibc or zlib');
  glibc = { version: libc.sourceVersion };
  const documents = [
    // Fixed in a version after the installed one: affects the image.
    { name: 'DSA-9001-1.json', content: advisory('DSA-9001-1', 'glibc', [{ introduced: '0' }, { fixed: `${libc.sourceVersion}+zz1` }], { database_specific: { severity: 'HIGH' } }) },
    // Fixed in the installed version itself: does not.
    { name: 'DSA-9002-1.json', content: advisory('DSA-9002-1', 'zlib', [{ introduced: '0' }, { fixed: zlib.sourceVersion }]) },
    // No fix yet.
    { name: 'DEBIAN-CVE-2099-9003.json', content: advisory('DEBIAN-CVE-2099-9003', 'bash', [{ introduced: '0' }]) },
    // Another release: ignored.
    { name: 'DSA-9004-1.json', content: advisory('DSA-9004-1', 'glibc', [{ introduced: '0' }, { fixed: '9:9' }]).replace('Debian:12', 'Debian:11') },
  ];
  served = zipOf(documents);
  mkdirSync(join(work, 'documents'));
  for (const document of documents) writeFileSync(join(work, 'documents', document.name), document.content);
  server = createServer((request, response) => {
    if (request.url === '/Debian/all.zip') response.end(served);
    else if (request.url === '/Alpine/all.zip') response.write(served.subarray(0, 40), () => request.socket.destroy());
    else {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  source = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 900_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

function da461(stdout: string): { status: string; severity: string; messageId: string; message: string }[] {
  return (JSON.parse(stdout) as ReportJson).findings.filter((finding) => finding.ruleId === 'DA461');
}

describe('known vulnerabilities of a Debian image', () => {
  it('db update puts the zip in the cache, and image matches the installed source versions against it', async () => {
    const env = { XDG_CACHE_HOME: join(work, 'xdg') };
    const update = await runCli(['db', 'update', '--ecosystems', 'Debian', '--source', source], { env });
    expect(update.code, update.stderr).toBe(0);
    expect(update.stdout).toMatch(/^Debian: updated, 4 advisories, \d+ bytes -> .*\/xdg\/dockaudit\/osv\/Debian\.zip$/m);
    expect(readFileSync(join(work, 'xdg', 'dockaudit', 'osv', 'Debian.zip')).equals(served)).toBe(true);

    const scan = await runCli(['image', IMAGE_FIXTURES.debian, '--format', 'json', '--cache-dir', join(work, 'layers')], { env });
    expect(scan.code, scan.stderr).toBe(1);
    const [finding] = da461(scan.stdout);
    expect(finding).toMatchObject({ status: 'fail', severity: 'high', messageId: 'vulnerable' });
    expect(finding?.message).toContain(`glibc ${glibc.version} → ${glibc.version}+zz1: DSA-9001-1 (CVE-2099-9001, high)`);
    expect(finding?.message).toContain('1 more have no fix yet (1 packages): bash');
    expect(finding?.message).not.toContain('DSA-9002-1');
    expect(finding?.message).not.toContain('DSA-9004-1');
  });

  it('reads a directory of documents given with --vuln-db the same way', async () => {
    const scan = await runCli(['image', IMAGE_FIXTURES.debian, '--format', 'json', '--cache-dir', join(work, 'layers'), '--vuln-db', join(work, 'documents')], {
      env: { XDG_CACHE_HOME: join(work, 'none') },
    });
    expect(da461(scan.stdout)[0]).toMatchObject({ status: 'fail', messageId: 'vulnerable' });
  });

  it('matches the images of every target, dockaudit image and audit --images on two daemons alike', async () => {
    // A context naming the local daemon: two targets, one daemon, each judged on its own.
    const config = join(work, 'docker-config');
    const name = 'da-vuln-context';
    const meta = join(config, 'contexts', 'meta', contextId(name));
    mkdirSync(meta, { recursive: true });
    writeFileSync(join(meta, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: 'unix:///var/run/docker.sock', SkipTLSVerify: false } } }));
    const env = { XDG_CACHE_HOME: join(work, 'none'), DOCKER_CONFIG: config, DOCKER_HOST: '' };
    const common = ['--context', name, '-H', 'unix:///var/run/docker.sock', '--cache-dir', join(work, 'layers'), '--vuln-db', join(work, 'documents'), '--format', 'json'];
    // audit --images scans the images containers use: one container of the image, never started.
    const container = `da-it-vuln-${process.pid}`;
    await docker(['create', '--name', container, '--label', `${LABEL_KEY}=${LABEL_VALUE}`, IMAGE_FIXTURES.debian, 'true']);
    const runs: Awaited<ReturnType<typeof runCli>>[] = [];
    try {
      for (const args of [['image', IMAGE_FIXTURES.debian, ...common], ['audit', '--images', '--only', 'DA461', '--containers', container, ...common]]) runs.push(await runCli(args, { env }));
    } finally {
      await docker(['rm', '-f', container]).catch(() => undefined);
    }
    for (const [index, run] of runs.entries()) {
      const args = [index === 0 ? 'image' : 'audit'];
      expect(run.code, `${args[0]}: ${run.stderr}`).toBe(1);
      const findings = (JSON.parse(run.stdout) as ReportJson).findings.filter((finding) => finding.ruleId === 'DA461' && finding.subject.name === IMAGE_FIXTURES.debian) as (ReportJson['findings'][number] & { target?: string })[];
      expect(findings.map((finding) => finding.target).sort(), args[0]).toEqual([name, 'unix:///var/run/docker.sock'].sort());
      for (const finding of findings) {
        expect(finding, args[0]).toMatchObject({ status: 'fail', messageId: 'vulnerable' });
        expect(finding.message).toContain('DSA-9001-1');
      }
    }
  });

  it('a failed download exits 2 and keeps the previous copy; with no database the rule is skipped with the reason', async () => {
    const env = { XDG_CACHE_HOME: join(work, 'xdg') };
    const update = await runCli(['db', 'update', '--ecosystems', 'Debian,Alpine', '--source', source], { env });
    expect(update.code).toBe(2);
    expect(update.stdout).toMatch(/^Alpine: not updated: /m);
    expect(update.stderr).toContain('Alpine was not updated');
    expect(readFileSync(join(work, 'xdg', 'dockaudit', 'osv', 'Debian.zip')).equals(served)).toBe(true);

    const none = await runCli(['image', IMAGE_FIXTURES.debian, '--format', 'json', '--cache-dir', join(work, 'layers')], { env: { XDG_CACHE_HOME: join(work, 'empty') } });
    expect(da461(none.stdout)[0]).toMatchObject({ status: 'skipped', messageId: 'noDatabase' });
    expect(da461(none.stdout)[0]?.message).toContain('dockaudit db update');
  });
});
