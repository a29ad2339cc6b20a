/**
 * `dockaudit image` against real images: a Debian root filesystem made with debootstrap, busybox
 * images with planted secrets (one added then deleted in a later layer), the same images as
 * `docker save` archives and OCI layouts, a crafted archive whose entries leave the root, and a
 * corrupt archive. Each finding is asserted with its path and layer.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../scripts/testbed/docker.mjs';
import { IMAGE_FIXTURES, PLANTED, buildImageFixtures } from '../../scripts/testbed/image-fixtures.mjs';
import { LABEL_KEY, LABEL_VALUE, runCli, scratchDir, type CliResult, type ReportFinding, type ReportJson } from './scenario.js';

const IN_USE_CONTAINER = 'da-it-image-secrets-in-use';

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function parse(result: CliResult): ReportJson {
  expect(result.stdout, result.stderr).not.toBe('');
  return JSON.parse(result.stdout) as ReportJson;
}

function findings(report: ReportJson, ruleId: string, subject?: string): ReportFinding[] {
  return report.findings.filter((finding) => finding.ruleId === ruleId && (subject === undefined || finding.subject.name === subject));
}

/** One line per image-content finding, comparable across the ways an image is read. */
function contentKeys(report: ReportJson): string[] {
  return report.findings
    .filter((finding) => /^DA45\d$/.test(finding.ruleId))
    .map((finding) => [finding.ruleId, finding.status, finding.messageId, finding.message.replace(/\(([0-9a-f]{12})\)/g, '(…)')].join(' | '))
    .sort();
}

async function tarBuffer(entries: { name: string; content?: Buffer; type?: 'file' | 'symlink' | 'directory'; linkname?: string; mode?: number }[]): Promise<Buffer> {
  const archive = pack();
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    const header = { name: entry.name, type, mode: entry.mode ?? 0o644, ...(entry.linkname ? { linkname: entry.linkname } : {}) };
    if (type === 'file') archive.entry(header, entry.content ?? Buffer.alloc(0));
    else archive.entry(header);
  }
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

let work: string;
let cacheDir: string;
let savedArchive: string;

beforeAll(async () => {
  await buildImageFixtures();
  work = scratchDir();
  cacheDir = join(work, 'cache');
  savedArchive = join(work, 'deleted-secret.tar');
  await docker(['save', '-o', savedArchive, IMAGE_FIXTURES.deletedSecret], { timeoutMs: 120_000 });
}, 900_000);

afterAll(async () => {
  await docker(['rm', '-f', IN_USE_CONTAINER]).catch(() => undefined);
});

describe('dockaudit image on a Debian root filesystem (debootstrap)', () => {
  let report: ReportJson;
  beforeAll(async () => {
    const result = await runCli(['image', IMAGE_FIXTURES.debian, '--format', 'json', '--cache-dir', cacheDir]);
    expect(result.code, result.stderr).toBe(1);
    report = parse(result);
  });

  it('lists the setuid binaries by path and layer', () => {
    const [setuid] = findings(report, 'DA450', IMAGE_FIXTURES.debian);
    expect(setuid).toMatchObject({ status: 'fail', messageId: 'setuidFiles', severity: 'high', subject: { kind: 'image' } });
    expect(setuid?.subject.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const binary of ['/usr/bin/passwd', '/usr/bin/su', '/usr/bin/mount', '/usr/bin/chsh']) {
      expect(setuid?.message).toMatch(new RegExp(`${binary} \\(setuid root 4755, layer 1/1 \\([0-9a-f]{12}\\)\\)`));
    }
  });

  it('reads the dpkg database, os-release, accounts and the apt lists debootstrap leaves', () => {
    const [packages] = findings(report, 'DA459');
    expect(packages).toMatchObject({ status: 'info', messageId: 'packages' });
    expect(Number(/^(\d+) dpkg packages/.exec(packages?.message ?? '')?.[1])).toBeGreaterThan(50);
    expect(packages?.message).toContain('base-files 12.');
    const [eol] = findings(report, 'DA458');
    expect(['supported', 'endingSoon', 'endOfLife']).toContain(eol?.messageId);
    expect(eol?.message).toContain('Debian GNU/Linux 12 (bookworm)');
    expect(findings(report, 'DA452')).toMatchObject([{ status: 'pass', messageId: 'clean' }]);
    expect(findings(report, 'DA455')).toMatchObject([{ status: 'pass', messageId: 'noSshServer' }]);
    const [caches] = findings(report, 'DA454');
    expect(caches).toMatchObject({ status: 'warn', messageId: 'caches' });
    expect(caches?.message).toMatch(/\/var\/lib\/apt\/lists \(apt package lists, [\d.]+ MB, layer 1\/1/);
    expect(findings(report, 'DA457')).toMatchObject([{ status: 'pass', messageId: 'none' }]);
  });

  it('runs the inspect-based image rules too, and no rule errors', () => {
    expect(findings(report, 'DA401')).toMatchObject([{ status: 'fail', messageId: 'noUser' }]);
    expect(report.findings.filter((finding) => finding.status === 'error')).toEqual([]);
  });
});

describe('dockaudit image on busybox images with planted secrets', () => {
  let result: CliResult;
  let report: ReportJson;
  beforeAll(async () => {
    result = await runCli(['image', IMAGE_FIXTURES.secrets, IMAGE_FIXTURES.deletedSecret, '--format', 'json', '--cache-dir', cacheDir]);
    report = parse(result);
  });

  it('reports every planted secret with its path and layer, and exits 1', () => {
    expect(result.code, result.stderr).toBe(1);
    const secrets = findings(report, 'DA451', IMAGE_FIXTURES.secrets).map((finding) => finding.message);
    const expected: [string, RegExp][] = [
      ['/root/.ssh/id_ed25519', /SSH private key, private key \(line 1\) in \/root\/\.ssh\/id_ed25519 \(layer 3\/4 /],
      ['/srv/tls/server.key', /private key \(line 1\) in \/srv\/tls\/server\.key \(layer 3\/4 /],
      ['/root/.aws/credentials', /AWS credentials file, AWS secret access key \(line 3\), AWS access key id \(line 2\) in \/root\/\.aws\/credentials \(layer 3\/4 /],
      ['/home/app/.npmrc', /npm registry token \(line 2\) in \/home\/app\/\.npmrc \(layer 3\/4 /],
      ['/app/.env', /\.env file in \/app\/\.env \(layer 3\/4 /],
      ['/app/.git/config', /credentials in a Git remote URL \(line 2\), GitHub token \(line 2\) in \/app\/\.git\/config/],
    ];
    for (const [path, pattern] of expected) {
      expect(secrets.filter((message) => message.includes(` ${path} `)), path).toHaveLength(1);
      expect(secrets.find((message) => message.includes(` ${path} `))).toMatch(pattern);
    }
    expect(secrets).toHaveLength(expected.length);
  });

  it('reports the secret deleted in a later layer, with the layer that holds it', () => {
    const deleted = findings(report, 'DA451', IMAGE_FIXTURES.deletedSecret).filter((finding) => finding.messageId === 'secretDeleted');
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(deleted[0]?.message).toMatch(/^Docker registry credentials \(line 1\) in \/root\/\.docker\/config\.json \(layer 5\/6 \([0-9a-f]{12}\)\), deleted in layer 6\/6 /);
  });

  it('never prints a secret value', async () => {
    const text = await runCli(['image', IMAGE_FIXTURES.deletedSecret, '--show-passed', '--cache-dir', cacheDir]);
    for (const output of [result.stdout, text.stdout, text.stderr]) {
      for (const value of Object.values(PLANTED)) expect(output).not.toContain(value);
      expect(output).not.toContain('PRIVATE KEY');
    }
  });

  it('reports the accounts, the setuid copy, the world-writable directory and the .git directory', () => {
    const subject = IMAGE_FIXTURES.secrets;
    expect(findings(report, 'DA452', subject).map((finding) => [finding.messageId, finding.message])).toEqual([
      ['emptyPassword', 'accounts without a password (anyone may log in as them): app'],
      ['extraRoot', 'accounts other than root with UID 0 (root under another name): toor'],
    ]);
    expect(findings(report, 'DA450', subject)[0]?.message).toMatch(/^1 setuid\/setgid file\(s\) in the final filesystem: \/bin\/suid-busybox \(setuid root 4755, layer 4\/4 /);
    expect(findings(report, 'DA453', subject)[0]?.message).toMatch(/\/srv\/drop \(directory without sticky bit 0777, layer 4\/4 /);
    expect(findings(report, 'DA456', subject)[0]?.message).toMatch(/\/app\/\.git \(Git repository, \d+ B, layer 3\/4 /);
    expect(findings(report, 'DA401', subject)).toMatchObject([{ status: 'pass', messageId: 'nonRoot' }]);
  });

  it('reads layers from the cache on a second run, with the same findings', async () => {
    expect(readdirSync(cacheDir).length).toBeGreaterThan(0);
    const again = await runCli(['image', IMAGE_FIXTURES.secrets, IMAGE_FIXTURES.deletedSecret, '--format', 'json', '--cache-dir', cacheDir]);
    expect(contentKeys(parse(again))).toEqual(contentKeys(report));
  });
});

describe('dockaudit image --archive', () => {
  let fromDaemon: ReportJson;
  beforeAll(async () => {
    fromDaemon = parse(await runCli(['image', IMAGE_FIXTURES.deletedSecret, '--format', 'json', '--no-cache']));
  });

  it('finds the same contents in a docker save archive, with no daemon, and rebuilds the image facts from its config', async () => {
    const result = await runCli(['image', '--archive', savedArchive, '--format', 'json', '--no-cache'], { env: { DOCKER_HOST: 'unix:///nonexistent.sock' } });
    expect(result.code, result.stderr).toBe(1);
    const report = parse(result);
    expect(contentKeys(report)).toEqual(contentKeys(fromDaemon));
    expect(report.findings.find((finding) => finding.ruleId === 'DA451')?.subject.name).toBe(IMAGE_FIXTURES.deletedSecret);
    expect(findings(report, 'DA401')).toMatchObject([{ status: 'pass', messageId: 'nonRoot' }]);
    expect(findings(report, 'DA405')).toHaveLength(1);
  });

  it('reads an OCI layout built from the saved layers, as a directory and as a tar, gzip layers included', async () => {
    const extracted = join(work, 'saved');
    mkdirSync(extracted);
    // Our own archive, just saved: safe to unpack with tar.
    execFileSync('tar', ['-xf', savedArchive, '-C', extracted]);
    const manifest = JSON.parse(readFileSync(join(extracted, 'manifest.json'), 'utf8')) as { Config: string; Layers: string[] }[];
    const entry = manifest[0]!;
    const layout = join(work, 'oci');
    mkdirSync(join(layout, 'blobs/sha256'), { recursive: true });
    const blob = (data: Buffer): { digest: string; size: number } => {
      const hex = sha256(data);
      writeFileSync(join(layout, 'blobs/sha256', hex), data);
      return { digest: `sha256:${hex}`, size: data.length };
    };
    const config = blob(readFileSync(join(extracted, entry.Config)));
    // Every other layer compressed: OCI layers may be either.
    const layers = entry.Layers.map((name, index) => {
      const tar = readFileSync(join(extracted, name));
      return index % 2 === 0
        ? { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...blob(gzipSync(tar)) }
        : { mediaType: 'application/vnd.oci.image.layer.v1.tar', ...blob(tar) };
    });
    const manifestBlob = blob(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers })));
    writeFileSync(
      join(layout, 'index.json'),
      JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifestBlob, annotations: { 'io.containerd.image.name': IMAGE_FIXTURES.deletedSecret } }] }),
    );
    writeFileSync(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');

    const fromDirectory = parse(await runCli(['image', '--archive', layout, '--format', 'json', '--no-cache']));
    expect(contentKeys(fromDirectory)).toEqual(contentKeys(fromDaemon));

    const layoutTar = join(work, 'oci.tar');
    const entries = [
      { name: 'oci-layout', content: readFileSync(join(layout, 'oci-layout')) },
      { name: 'index.json', content: readFileSync(join(layout, 'index.json')) },
      ...readdirSync(join(layout, 'blobs/sha256')).map((hex) => ({ name: `blobs/sha256/${hex}`, content: readFileSync(join(layout, 'blobs/sha256', hex)) })),
    ];
    writeFileSync(layoutTar, await tarBuffer(entries));
    const fromTar = parse(await runCli(['image', '--archive', layoutTar, '--format', 'json', '--cache-dir', join(work, 'oci-cache')]));
    expect(contentKeys(fromTar)).toEqual(contentKeys(fromDaemon));
  });

  it('reports a crafted archive whose entries leave the root, as a critical finding, writing nothing', async () => {
    const evilName = `dockaudit-evil-${process.pid}`;
    const layer = await tarBuffer([
      { name: 'etc/', type: 'directory', mode: 0o755 },
      { name: 'etc/hostname', content: Buffer.from('crafted\n') },
      { name: `../../../../tmp/${evilName}`, content: Buffer.from('pwned\n') },
      { name: 'app/', type: 'directory', mode: 0o755 },
      { name: 'app/shadow', type: 'symlink', linkname: '../../../../etc/shadow' },
    ]);
    const diffId = `sha256:${sha256(layer)}`;
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created: new Date().toISOString(), config: { User: '1000' }, rootfs: { type: 'layers', diff_ids: [diffId] } }));
    const directory = sha256(`crafted${diffId}`);
    const archivePath = join(work, 'crafted.tar');
    writeFileSync(
      archivePath,
      await tarBuffer([
        { name: `${sha256(config)}.json`, content: config },
        { name: `${directory}/`, type: 'directory', mode: 0o755 },
        { name: `${directory}/layer.tar`, content: layer },
        { name: 'manifest.json', content: Buffer.from(JSON.stringify([{ Config: `${sha256(config)}.json`, RepoTags: null, Layers: [`${directory}/layer.tar`] }])) },
      ]),
    );
    const result = await runCli(['image', '--archive', archivePath, '--format', 'json', '--no-cache']);
    expect(result.code, result.stderr).toBe(1);
    const [unsafe] = findings(parse(result), 'DA457');
    expect(unsafe).toMatchObject({ status: 'fail', messageId: 'unsafeEntries', severity: 'critical', subject: { kind: 'image', name: archivePath } });
    expect(unsafe?.message).toContain(`../../../../tmp/${evilName} (path climbs out of the image root (..), layer 1/1 (${diffId.slice(7, 19)}))`);
    expect(unsafe?.message).toContain('app/shadow (symbolic link to ../../../../etc/shadow leaves the image root, layer 1/1');
    expect(existsSync(join('/tmp', evilName))).toBe(false);
  });

  it('stops with one line and exit 2 on a truncated archive, writing no report', async () => {
    const truncated = join(work, 'truncated.tar');
    const bytes = readFileSync(savedArchive);
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const output = join(work, 'never.json');
    const result = await runCli(['image', '--archive', truncated, '--format', 'json', '--output', output, '--no-cache']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^dockaudit: .*truncated\.tar: corrupt or truncated image archive: /);
    expect(existsSync(output)).toBe(false);
  });
});

describe('dockaudit audit --images', () => {
  it('adds the layer scan of every image a container uses to the host audit', async () => {
    await docker(['rm', '-f', IN_USE_CONTAINER]).catch(() => undefined);
    await docker(['create', '--name', IN_USE_CONTAINER, '--label', `${LABEL_KEY}=${LABEL_VALUE}`, IMAGE_FIXTURES.secrets]);
    const file = join(scratchDir(), 'report.json');
    const result = await runCli(['audit', '--images', '--format', 'json', '--output', file, '--cache-dir', cacheDir]);
    expect(existsSync(file), result.stderr).toBe(true);
    const report = JSON.parse(readFileSync(file, 'utf8')) as ReportJson;
    const secrets = findings(report, 'DA451', IMAGE_FIXTURES.secrets);
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    expect(secrets.some((finding) => finding.message.includes('/root/.aws/credentials (layer 3/4'))).toBe(true);
    expect(report.findings.some((finding) => finding.subject.name === IN_USE_CONTAINER)).toBe(true);
  });
});
