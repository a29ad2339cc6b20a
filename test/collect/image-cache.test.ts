import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { scanArchiveStream } from '../../src/collect/image/archive.js';
import { LayerCache } from '../../src/collect/image/cache.js';
import { dockerSaveOf, sha256Hex, tarOf } from './image-tar.js';

const HASH = '$6$Zq3rT8sa$Kx1uN3QvAbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKL';
const SHADOW = `root:${HASH}:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\nguest::19000::::::\napp:!:19000::::::\n`;

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dockaudit-cache-test-'));
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

async function imageWithShadow(): Promise<{ archive: Buffer; diffIds: string[] }> {
  const accounts = await tarOf([
    { name: 'etc/passwd', content: 'root:x:0:0::/root:/bin/sh\ndaemon:x:1:1::/:/usr/sbin/nologin\nguest:x:1001:1001::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\n' },
    { name: 'etc/shadow', mode: 0o640, content: SHADOW },
  ]);
  return dockerSaveOf([accounts, await tarOf([{ name: 'app/main', content: 'main' }])]);
}

describe('the layer cache on disk', () => {
  it('keeps 0600 files in a 0700 directory, and no password hash, only the state of each password', async () => {
    const root = scratch();
    const directory = join(root, 'dockaudit', 'layers');
    const { archive, diffIds } = await imageWithShadow();
    const [image] = await scanArchiveStream(Readable.from([archive]), 'app.tar', new LayerCache(directory, { privateParents: [join(root, 'dockaudit')] }), { verify: true });
    expect(image?.scans[diffIds[0] as string]?.shadow).toEqual([
      { name: 'root', password: 'set' },
      { name: 'daemon', password: 'locked' },
      { name: 'guest', password: 'empty' },
      { name: 'app', password: 'locked' },
    ]);
    expect(mode(directory)).toBe(0o700);
    expect(mode(join(root, 'dockaudit'))).toBe(0o700);
    const files = readdirSync(directory);
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      expect(mode(join(directory, name))).toBe(0o600);
      const text = readFileSync(join(directory, name), 'utf8');
      expect(text).not.toContain(HASH);
      expect(text).not.toContain('Zq3rT8sa');
    }
  });

  it('makes an existing directory private and deletes scans older versions left, which held /etc/shadow', async () => {
    const directory = join(scratch(), 'layers');
    await mkdir(directory, { mode: 0o755 });
    await chmod(directory, 0o755);
    await writeFile(join(directory, `v2-sha256_${'1'.repeat(64)}.json`), JSON.stringify({ texts: { 'etc/shadow': SHADOW } }), { mode: 0o644 });
    await writeFile(join(directory, `v2-alias-legacy_${'2'.repeat(64)}.json`), '"x"', { mode: 0o644 });
    const { archive } = await imageWithShadow();
    await scanArchiveStream(Readable.from([archive]), 'app.tar', new LayerCache(directory), { verify: true });
    expect(mode(directory)).toBe(0o700);
    const files = readdirSync(directory);
    expect(files.filter((name) => name.startsWith('v2-'))).toEqual([]);
    for (const name of files) expect(readFileSync(join(directory, name), 'utf8')).not.toContain(HASH);
  });

  it('keeps one file per layer, plus one index of legacy names, and writes nothing on a cached re-run', async () => {
    const directory = scratch();
    const layers = await Promise.all([1, 2, 3].map((index) => tarOf([{ name: `f${index}`, content: `${index}` }])));
    const { archive, diffIds } = await dockerSaveOf(layers);
    await scanArchiveStream(Readable.from([archive]), 'three.tar', new LayerCache(directory), { verify: true });
    const files = readdirSync(directory).sort();
    expect(files).toEqual([...diffIds.map((id) => `v4-${id.replace(':', '_')}.json`), 'v4-aliases.json'].sort());
    const written = new Map(files.map((name) => [name, statSync(join(directory, name)).mtimeMs]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [again] = await scanArchiveStream(Readable.from([archive]), 'three.tar', new LayerCache(directory), { verify: true });
    expect(again?.cachedLayers).toEqual(diffIds);
    for (const [name, mtime] of written) expect(statSync(join(directory, name)).mtimeMs).toBe(mtime);
  });

  it('neither reads nor writes through a symbolic link planted in place of a cache file', async () => {
    const directory = scratch();
    const elsewhere = join(scratch(), 'victim');
    await writeFile(elsewhere, 'precious');
    const layer = await tarOf([{ name: 'f', content: 'x' }]);
    const { archive } = await dockerSaveOf([layer]);
    await chmod(directory, 0o700);
    await symlink(elsewhere, join(directory, `v4-sha256_${sha256Hex(layer)}.json`));
    const [image] = await scanArchiveStream(Readable.from([archive]), 'one.tar', new LayerCache(directory), { verify: true });
    expect(image?.cachedLayers).toEqual([]);
    expect(readFileSync(elsewhere, 'utf8')).toBe('precious');
    expect(statSync(join(directory, `v4-sha256_${sha256Hex(layer)}.json`)).isFile()).toBe(true);
  });
});
