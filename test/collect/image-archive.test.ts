import { mkdtempSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scanArchivePath, scanArchiveStream } from '../../src/collect/image/archive.js';
import { LayerCache } from '../../src/collect/image/cache.js';
import { imageFactsFromArchive } from '../../src/collect/image/facts.js';
import { progressLine } from '../../src/cli/scan-progress.js';
import { dockerSaveOf, sha256Hex, tarOf } from './image-tar.js';

const base = () => tarOf([{ name: 'bin/su', mode: 0o4755, content: 'su' }, { name: 'root/.aws/credentials', content: '[default]\n' }]);
const top = () => tarOf([{ name: 'root/.aws/.wh.credentials' }, { name: 'app/main', content: 'main' }]);

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dockaudit-image-test-'));
}

describe('scanArchiveStream (docker save)', () => {
  it('orders layers by the manifest, keys them by diff id, and reads the config', async () => {
    const layers = [await base(), await top()];
    const { archive, imageId, diffIds } = await dockerSaveOf(layers, { tags: ['app:1'], user: 'app' });
    const [image] = await scanArchiveStream(Readable.from([archive]), 'app.tar', new LayerCache(), { verify: true });
    expect(image).toMatchObject({ source: 'app.tar', id: imageId, names: ['app:1'], layers: diffIds, cachedLayers: [] });
    expect(image?.scans[diffIds[0] as string]?.setuid.map((fact) => fact.path)).toEqual(['bin/su']);
    expect(image?.scans[diffIds[1] as string]?.whiteouts).toEqual(['root/.aws/credentials']);
    const facts = imageFactsFromArchive(image!);
    expect(facts.inspect).toMatchObject({ Id: imageId, RepoTags: ['app:1'], RepoDigests: [], Config: { User: 'app' } });
    expect(Array.isArray(facts.history) && facts.history[0]?.['CreatedBy']).toContain('COPY file:1');
  });

  it('scans each layer once: a second archive sharing a layer drains it from the cache, also across runs', async () => {
    const directory = scratch();
    const shared = await base();
    const first = await dockerSaveOf([shared, await top()]);
    await scanArchiveStream(Readable.from([first.archive]), 'first.tar', new LayerCache(directory), { verify: true });
    expect(readdirSync(directory).some((name) => name.includes(sha256Hex(shared)))).toBe(true);
    const second = await dockerSaveOf([shared, await tarOf([{ name: 'other', content: 'x' }])]);
    const [image] = await scanArchiveStream(Readable.from([second.archive]), 'second.tar', new LayerCache(directory), { verify: true });
    expect(image?.cachedLayers).toEqual([`sha256:${sha256Hex(shared)}`]);
    expect(image?.scans[`sha256:${sha256Hex(shared)}`]?.setuid).toHaveLength(1);
  });

  it('reads a gzip-compressed archive', async () => {
    const { archive } = await dockerSaveOf([await base()]);
    const [image] = await scanArchiveStream(Readable.from([gzipSync(archive)]), 'app.tar.gz', new LayerCache(), { verify: true });
    expect(image?.layers).toHaveLength(1);
  });

  it('refuses a layer whose content does not match its digest, and caches nothing', async () => {
    const directory = scratch();
    const layers = [await base()];
    const { archive } = await dockerSaveOf(layers, { diffIds: [`sha256:${'0'.repeat(64)}`] });
    await expect(scanArchiveStream(Readable.from([archive]), 'forged.tar', new LayerCache(directory), { verify: true })).rejects.toThrow(/does not match the digest/);
    expect(readdirSync(directory)).toEqual([]);
  });

  it('fails with one line on a truncated archive, caching nothing', async () => {
    const directory = scratch();
    const { archive } = await dockerSaveOf([await base(), await top()]);
    const truncated = archive.subarray(0, Math.floor(archive.length * 0.7));
    await expect(scanArchiveStream(Readable.from([truncated]), 'cut.tar', new LayerCache(directory), { verify: true })).rejects.toThrow(
      /^cut\.tar: corrupt or truncated image archive/,
    );
    expect(readdirSync(directory)).toEqual([]);
  });

  it('rejects what is not an image archive', async () => {
    await expect(scanArchiveStream(Readable.from([Buffer.from('hello')]), 'x', new LayerCache())).rejects.toThrow(/not a tar archive/);
    const plain = await tarOf([{ name: 'README', content: 'hi' }]);
    await expect(scanArchiveStream(Readable.from([plain]), 'x.tar', new LayerCache())).rejects.toThrow(/not an image archive/);
  });

  it('follows a legacy layer.tar that links to another layer directory', async () => {
    const layer = await base();
    const hex = sha256Hex(layer);
    const config = JSON.stringify({ config: {}, rootfs: { type: 'layers', diff_ids: [`sha256:${hex}`, `sha256:${hex}`] } });
    const configHex = sha256Hex(config);
    const archive = await tarOf([
      { name: `${'b'.repeat(64)}/layer.tar`, type: 'symlink', linkname: `../${'a'.repeat(64)}/layer.tar` },
      { name: `${'a'.repeat(64)}/layer.tar`, content: layer },
      { name: `${configHex}.json`, content: config },
      { name: 'manifest.json', content: JSON.stringify([{ Config: `${configHex}.json`, RepoTags: null, Layers: [`${'a'.repeat(64)}/layer.tar`, `${'b'.repeat(64)}/layer.tar`] }]) },
    ]);
    const [image] = await scanArchiveStream(Readable.from([archive]), 'dup.tar', new LayerCache(), { verify: true });
    expect(image?.layers).toEqual([`sha256:${hex}`, `sha256:${hex}`]);
    expect(image?.names).toEqual([]);
  });
});

describe('OCI image layouts', () => {
  async function layout(directory: string): Promise<{ layerDigest: string }> {
    const layer = gzipSync(await base());
    const layerDigest = `sha256:${sha256Hex(layer)}`;
    const config = Buffer.from(JSON.stringify({ config: { User: '1000' }, rootfs: { type: 'layers', diff_ids: [`sha256:${sha256Hex(await base())}`] } }));
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha256Hex(config)}`, size: config.length },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layer.length }],
      }),
    );
    const index = { schemaVersion: 2, manifests: [{ digest: `sha256:${sha256Hex(manifest)}`, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': 'oci:1' } }] };
    await mkdir(join(directory, 'blobs/sha256'), { recursive: true });
    for (const blob of [layer, config, manifest]) await writeFile(join(directory, 'blobs/sha256', sha256Hex(blob)), blob);
    await writeFile(join(directory, 'index.json'), JSON.stringify(index));
    await writeFile(join(directory, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    return { layerDigest };
  }

  it('scans a layout directory, keyed by blob digest', async () => {
    const directory = scratch();
    const { layerDigest } = await layout(directory);
    const [image] = await scanArchivePath(directory, new LayerCache(), { verify: true });
    expect(image).toMatchObject({ names: ['oci:1'], layers: [layerDigest] });
    expect(image?.scans[layerDigest]?.setuid).toHaveLength(1);
  });

  it('refuses a blob whose content does not match its digest', async () => {
    const directory = scratch();
    const { layerDigest } = await layout(directory);
    await writeFile(join(directory, 'blobs/sha256', layerDigest.slice(7)), gzipSync(await top()));
    await expect(scanArchivePath(directory, new LayerCache(), { verify: true })).rejects.toThrow(/does not match its digest/);
  });
});

describe('LayerCache', () => {
  it('keeps scans on disk and finds them under an alias', async () => {
    const directory = scratch();
    const scan = { key: `sha256:${'1'.repeat(64)}`, entries: 1, bytes: 1, paths: ['a'], whiteouts: [], opaqueDirectories: [], setuid: [], worldWritable: [], secrets: [], unsafe: [], texts: {}, leftovers: [] };
    const cache = new LayerCache(directory);
    await cache.set(scan);
    await cache.alias(`legacy:${'2'.repeat(64)}`, scan.key);
    const fresh = new LayerCache(directory);
    expect(await fresh.get(scan.key)).toEqual(scan);
    expect(await fresh.get(`legacy:${'2'.repeat(64)}`)).toEqual(scan);
    expect(await new LayerCache().get(scan.key)).toBeUndefined();
  });
});

describe('progressLine', () => {
  it('draws a bar with the share read, fitting the terminal', () => {
    expect(progressLine('debian:12', 50e6, 200e6, 120)).toBe('scanning debian:12 [######------------------] 25% 50 MB/200 MB');
    expect(progressLine('x', 1e6, 0, 120)).toBe('scanning x 1.0 MB');
    expect(progressLine('debian:12', 50e6, 200e6, 20)).toHaveLength(19);
  });

  it('shows control characters in an image name as escapes, never raw', () => {
    const line = progressLine('evil\u001b[2J\rPASS', 1e6, 0, 120);
    expect(line).toBe('scanning evil\\x1b[2J\\rPASS 1.0 MB');
    // eslint-disable-next-line no-control-regex -- the point is that none is left
    expect(line).not.toMatch(/[\u0000-\u001f]/);
  });
});

describe('archives that try to mislead', () => {
  it('refuses an archive holding the same layer twice (the scan would not be of what is unpacked)', async () => {
    const benign = await top();
    const hidden = await base();
    const config = JSON.stringify({ config: {}, rootfs: { type: 'layers', diff_ids: [`sha256:${sha256Hex(hidden)}`] } });
    const archive = await tarOf([
      { name: `${'a'.repeat(64)}/layer.tar`, content: benign },
      { name: `${'a'.repeat(64)}/layer.tar`, content: hidden },
      { name: `${sha256Hex(config)}.json`, content: config },
      { name: 'manifest.json', content: JSON.stringify([{ Config: `${sha256Hex(config)}.json`, Layers: [`${'a'.repeat(64)}/layer.tar`] }]) },
    ]);
    await expect(scanArchiveStream(Readable.from([archive]), 'twice.tar', new LayerCache(), { verify: true })).rejects.toThrow(/holds .*layer\.tar twice/);
  });
});

describe('layers the manifest names at any path', () => {
  it('reads a layer at a path docker load accepts (l1/layer.tar), checked against its diff id', async () => {
    const layers = [await base(), await top()];
    const { archive, diffIds } = await dockerSaveOf(layers, { layerPaths: ['l1/layer.tar', './layers/two.tar'] });
    const [image] = await scanArchiveStream(Readable.from([archive]), 'paths.tar', new LayerCache(), { verify: true });
    expect(image?.layers).toEqual(diffIds);
    expect(image?.scans[diffIds[0] as string]?.setuid.map((fact) => fact.path)).toEqual(['bin/su']);
  });

  it('refuses a forged layer at such a path, and one named outside the archive', async () => {
    const { archive } = await dockerSaveOf([await base()], { layerPaths: ['l1/layer.tar'], diffIds: [`sha256:${'0'.repeat(64)}`] });
    await expect(scanArchiveStream(Readable.from([archive]), 'forged.tar', new LayerCache(), { verify: true })).rejects.toThrow(/l1\/layer\.tar does not match the digest/);
    const outside = await dockerSaveOf([await base()], { layerPaths: ['../l1/layer.tar'] });
    await expect(scanArchiveStream(Readable.from([outside.archive]), 'outside.tar', new LayerCache(), { verify: true })).rejects.toThrow(
      /names a layer outside the archive: "\.\.\/l1\/layer\.tar"/,
    );
    const absolute = await dockerSaveOf([await base()], { layerPaths: ['/l1/layer.tar'] });
    await expect(scanArchiveStream(Readable.from([absolute.archive]), 'absolute.tar', new LayerCache(), { verify: true })).rejects.toThrow(/outside the archive/);
  });

  it('still says which layer is missing', async () => {
    const { archive } = await dockerSaveOf([await base()], { layerPaths: ['l1/layer.tar'] });
    const manifestOnly = await tarOf([{ name: 'manifest.json', content: JSON.stringify([{ Config: 'none.json', Layers: ['l2/layer.tar'] }]) }]);
    expect(archive.length).toBeGreaterThan(0);
    await expect(scanArchiveStream(Readable.from([manifestOnly]), 'lacking.tar', new LayerCache())).rejects.toThrow(/lacks layer l2\/layer\.tar/);
  });
});
