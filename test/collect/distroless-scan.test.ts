import { mkdtempSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LayerCache } from '../../src/collect/image/cache.js';
import { archiveSnapshot } from '../../src/collect/image/index.js';
import { scanLayer } from '../../src/collect/image/layer-scan.js';
import { ScanLimitError } from '../../src/collect/image/limits.js';
import type { ImageContents } from '../../src/snapshot/image-contents.js';
import { imagePackages } from '../../src/views/installed-packages.js';
import { dockerSaveOf, tarOf } from './image-tar.js';

const KEY = 'sha256:' + 'd'.repeat(64);
const OS_RELEASE = 'PRETTY_NAME="Distroless"\nID=debian\nVERSION_ID="12"\n';
const stanza = (name: string, version: string, source?: string): string => `Package: ${name}\n${source ? `Source: ${source}\n` : ''}Version: ${version}\nArchitecture: amd64\n`;

/** A layer shaped as gcr.io/distroless/base-debian12's: no status file, one stanza per package. */
function distrolessBase(): Promise<Buffer> {
  return tarOf([
    { name: 'etc/os-release', content: OS_RELEASE },
    { name: 'var/lib/dpkg/status.d/', type: 'directory' },
    { name: 'var/lib/dpkg/status.d/base-files', content: stanza('base-files', '12.4+deb12u5') },
    { name: 'var/lib/dpkg/status.d/base-files.md5sums', content: 'd41d8cd98f00b204e9800998ecf8427e  etc/debian_version\n' },
    { name: 'var/lib/dpkg/status.d/libssl3', content: stanza('libssl3', '3.0.11-1~deb12u2', 'openssl') },
    { name: 'var/lib/dpkg/status.d/libc6', content: stanza('libc6', '2.36-9+deb12u4+b1', 'glibc (2.36-9+deb12u4)') },
  ]);
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dockaudit-distroless-test-'));
}

async function snapshotOf(layers: Buffer[], cache = new LayerCache()): Promise<ImageContents> {
  const path = join(scratch(), 'image.tar');
  await writeFile(path, (await dockerSaveOf(layers, { tags: ['distroless-app:1'] })).archive);
  const snapshot = await archiveSnapshot(path, { cache });
  const [contents] = snapshot.imageContents ?? [];
  expect(contents && !('unavailable' in contents)).toBe(true);
  return contents as ImageContents;
}

async function rejection(promise: Promise<unknown>): Promise<ScanLimitError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ScanLimitError);
  return error as ScanLimitError;
}

describe('distroless package files in the layer scan', () => {
  it('keeps the per-package status files of /var/lib/dpkg/status.d/, not their md5sums nor deeper files', async () => {
    const layer = await tarOf([
      { name: 'var/lib/dpkg/status.d/libssl3', content: stanza('libssl3', '3.0.11-1~deb12u2', 'openssl') },
      { name: 'var/lib/dpkg/status.d/libssl3.md5sums', content: 'x  usr/lib/libssl.so.3\n' },
      { name: 'var/lib/dpkg/status.d/nested/other', content: stanza('other', '1') },
      { name: 'var/lib/dpkg/status.d/link', type: 'symlink', linkname: 'libssl3' },
    ]);
    const scan = await scanLayer(Readable.from([layer]), KEY);
    expect(Object.keys(scan.texts)).toEqual(['var/lib/dpkg/status.d/libssl3']);
    expect(scan.texts['var/lib/dpkg/status.d/libssl3']).toContain('Source: openssl');
  });

  it('stops at a status.d file past 1 MiB, and at more than 16 MiB of them in one layer', async () => {
    const big = await tarOf([{ name: 'var/lib/dpkg/status.d/padded', content: `${stanza('padded', '1')}${'#'.repeat(1 << 20)}` }]);
    const one = await rejection(scanLayer(Readable.from([big]), KEY));
    expect(one.fact.cap).toBe('keptFile');
    expect(one.message).toContain('/var/lib/dpkg/status.d/padded');
    const body = `${stanza('p', '1')}${'#'.repeat((1 << 20) - 100)}`;
    const many = await tarOf(Array.from({ length: 17 }, (_, index) => ({ name: `var/lib/dpkg/status.d/p${index}`, content: body })));
    const total = await rejection(scanLayer(Readable.from([many]), KEY));
    expect(total.fact.cap).toBe('keptFile');
    expect(total.message).toContain('/var/lib/dpkg/status.d/ together');
    const sixteen = await tarOf(Array.from({ length: 16 }, (_, index) => ({ name: `var/lib/dpkg/status.d/p${index}`, content: body })));
    expect(Object.keys((await scanLayer(Readable.from([sixteen]), KEY)).texts)).toHaveLength(16);
  });

  it('reads the packages of a distroless-shaped image archive, without one a later layer deleted', async () => {
    const base = await distrolessBase();
    const alone = imagePackages(await snapshotOf([base]));
    expect(alone?.path).toBe('var/lib/dpkg/status.d/');
    expect(alone?.packages).toEqual([
      { name: 'base-files', version: '12.4+deb12u5', source: 'base-files', sourceVersion: '12.4+deb12u5' },
      { name: 'libc6', version: '2.36-9+deb12u4+b1', source: 'glibc', sourceVersion: '2.36-9+deb12u4' },
      { name: 'libssl3', version: '3.0.11-1~deb12u2', source: 'openssl', sourceVersion: '3.0.11-1~deb12u2' },
    ]);
    const removal = await tarOf([{ name: 'var/lib/dpkg/status.d/.wh.libssl3' }, { name: 'app/main', content: 'main' }]);
    const later = imagePackages(await snapshotOf([base, removal]));
    expect(later?.packages.map((item) => item.name)).toEqual(['base-files', 'libc6']);
  });

  it('does not reuse a layer cached by an older version, which did not keep status.d, and deletes it', async () => {
    const directory = scratch();
    const base = await distrolessBase();
    const { diffIds } = await dockerSaveOf([base]);
    const digest = (diffIds[0] as string).replace(':', '_');
    const stale = { key: diffIds[0], entries: 0, bytes: 0, paths: [], whiteouts: [], opaqueDirectories: [], setuid: [], worldWritable: [], secrets: [], unsafe: [], leftovers: [], texts: { 'etc/os-release': OS_RELEASE } };
    await writeFile(join(directory, `v3-${digest}.json`), JSON.stringify(stale), { mode: 0o600 });
    const contents = await snapshotOf([base], new LayerCache(directory));
    expect(imagePackages(contents)?.packages).toHaveLength(3);
    expect(readdirSync(directory).filter((name) => name.startsWith('v3-'))).toEqual([]);
    expect(readdirSync(directory)).toContain(`v4-${digest}.json`);
  });
});
