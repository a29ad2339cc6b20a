import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { linkEscapes, normaliseEntryPath, scanLayer, secretsInContent } from '../../src/collect/image/layer-scan.js';
import { tarOf } from './image-tar.js';

const KEY = 'sha256:' + 'f'.repeat(64);

describe('scanLayer', () => {
  it('records setuid and world-writable entries, whiteouts, opaque directories and kept texts', async () => {
    const layer = await tarOf([
      { name: 'usr/bin/', type: 'directory' },
      { name: 'usr/bin/passwd', mode: 0o4755, content: 'ELF' },
      { name: 'usr/bin/wall', mode: 0o2755, uid: 0, content: 'ELF' },
      { name: 'tmp/', type: 'directory', mode: 0o1777 },
      { name: 'srv/drop/', type: 'directory', mode: 0o777 },
      { name: 'etc/app.conf', mode: 0o666, content: 'x=1' },
      { name: 'bin/sh', type: 'symlink', linkname: 'busybox', mode: 0o777 },
      { name: 'etc/.wh.motd' },
      { name: 'var/cache/.wh..wh..opq' },
      { name: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\n' },
    ]);
    const scan = await scanLayer(Readable.from([layer]), KEY);
    expect(scan.key).toBe(KEY);
    expect(scan.setuid.map((fact) => [fact.path, fact.mode])).toEqual([
      ['usr/bin/passwd', 0o4755],
      ['usr/bin/wall', 0o2755],
    ]);
    expect(scan.worldWritable.map((fact) => fact.path)).toEqual(['srv/drop', 'etc/app.conf']);
    expect(scan.whiteouts).toEqual(['etc/motd']);
    expect(scan.opaqueDirectories).toEqual(['var/cache']);
    expect(scan.texts['etc/passwd']).toContain('root:x:0:0');
    expect(scan.paths).toContain('usr/bin/passwd');
    expect(scan.paths).not.toContain('etc/.wh.motd');
  });

  it('finds secrets by content and by name, keeping the kind and line but never the value', async () => {
    const layer = await tarOf([
      { name: 'app/certs/server.pem', content: 'subject\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n' },
      { name: 'home/app/.npmrc', content: '//registry.npmjs.org/:_authToken=npm_abcdef\n' },
      { name: 'root/.docker/config.json', content: '{"auths":{"r.example.com":{"auth":"Y2k6cHc="}}}' },
      { name: 'root/.git-credentials', content: 'https://ci:tok@git.example.com\n' },
      { name: 'app/.env', content: 'A=1' },
      { name: 'app/.env.example', content: 'A=' },
      { name: 'usr/share/doc/openssl/example.key', content: '-----BEGIN PRIVATE KEY-----\n' },
      { name: 'app/README', content: 'nothing here, even gh and AKIA alone' },
    ]);
    const scan = await scanLayer(Readable.from([layer]), KEY);
    expect(scan.secrets.map((secret) => [secret.path, secret.kind, secret.line])).toEqual([
      ['app/certs/server.pem', 'private-key', 2],
      ['home/app/.npmrc', 'npmrc-token', 1],
      ['root/.docker/config.json', 'docker-config-auth', 1],
      ['root/.git-credentials', 'git-credentials', 1],
      ['app/.env', 'dotenv', undefined],
    ]);
    expect(JSON.stringify(scan)).not.toContain('npm_abcdef');
    expect(JSON.stringify(scan)).not.toContain('MHcCAQEE');
  });

  it('reports entries that leave the image root instead of trusting them', async () => {
    const layer = await tarOf([
      { name: '../../etc/cron.d/evil', content: '* * * * * root sh' },
      { name: 'app/link', type: 'symlink', linkname: '../../../etc/shadow' },
      { name: 'app/ok', type: 'symlink', linkname: '/etc/shadow' },
      { name: 'app/hard', type: 'link', linkname: '../outside' },
    ]);
    const scan = await scanLayer(Readable.from([layer]), KEY);
    expect(scan.unsafe).toEqual([
      { path: '../../etc/cron.d/evil', reason: 'path climbs out of the image root (..)' },
      { path: 'app/link', reason: 'symbolic link to ../../../etc/shadow leaves the image root' },
      { path: 'app/hard', reason: 'hard link to ../outside leaves the image root' },
    ]);
  });

  it('reports hard links to absolute paths and entries written through an escaping symbolic link', async () => {
    const layer = await tarOf([
      { name: 'app/passwd', type: 'link', linkname: '/etc/passwd' },
      { name: 'etc-link', type: 'symlink', linkname: '/etc' },
      { name: 'etc-link/cron.d/job', content: '* * * * * root sh' },
      { name: 'up', type: 'symlink', linkname: '../..' },
      { name: 'up/tmp/x', content: 'x' },
      { name: 'lib', type: 'symlink', linkname: 'usr/lib' },
      { name: 'lib/ok', content: 'stays inside' },
      { name: 'bin/sh', type: 'symlink', linkname: '/bin/busybox' },
    ]);
    const scan = await scanLayer(Readable.from([layer]), KEY);
    expect(scan.unsafe).toEqual([
      { path: 'app/passwd', reason: 'hard link to the absolute path /etc/passwd' },
      { path: 'etc-link/cron.d/job', reason: 'written through the symbolic link etc-link -> /etc, which leaves the image root' },
      { path: 'up', reason: 'symbolic link to ../.. leaves the image root' },
      { path: 'up/tmp/x', reason: 'written through the symbolic link up -> ../.., which leaves the image root' },
    ]);
  });

  it('records caches and build leftovers with their size, one per directory', async () => {
    const layer = await tarOf([
      { name: 'var/lib/apt/lists/deb_Packages', content: Buffer.alloc(1000) },
      { name: 'var/lib/apt/lists/lock', content: '' },
      { name: 'root/.cache/pip/http/a', content: Buffer.alloc(10) },
      { name: 'src/a/.git/HEAD', content: Buffer.alloc(5) },
      { name: 'src/b/.git/HEAD', content: Buffer.alloc(7) },
    ]);
    const scan = await scanLayer(Readable.from([layer]), KEY);
    expect(scan.leftovers).toEqual([
      { path: 'var/lib/apt/lists', kind: 'apt-lists', bytes: 1000 },
      { path: 'root/.cache/pip', kind: 'pip-cache', bytes: 10 },
      { path: 'src/a/.git', kind: 'git-directory', bytes: 5 },
      { path: 'src/b/.git', kind: 'git-directory', bytes: 7 },
    ]);
  });

  it('reads gzip and zstd layers, and an empty one', async () => {
    const layer = await tarOf([{ name: 'bin/su', mode: 0o4755, content: 'x' }]);
    expect((await scanLayer(Readable.from([gzipSync(layer)]), KEY)).setuid).toHaveLength(1);
    // `zstd -19` of a one-file tar (bin/su, mode 4755), kept here so the test needs no zstd binary.
    const zstd = Buffer.from('KLUv/QRoDQIAkkIJEbCpA0BrCUCYRImW4N11zAEyXf0iklL1Gh6+bbtriEN8VYJjSgogkNsd+/1IGhXgGax0QPJwLIAN2qMTNgLJ78Ct', 'base64');
    expect((await scanLayer(Readable.from([zstd]), KEY)).setuid.map((fact) => fact.path)).toEqual(['bin/su']);
    expect((await scanLayer(Readable.from([Buffer.alloc(0)]), KEY)).entries).toBe(0);
  });

  it('rejects what is not a layer', async () => {
    await expect(scanLayer(Readable.from([Buffer.from('{"json": true}')]), KEY)).rejects.toThrow(/not a tar archive/);
  });
});

describe('entry paths', () => {
  it('normalises names and tells why an entry is unsafe', () => {
    expect(normaliseEntryPath('./usr//bin/./ls')).toEqual({ path: 'usr/bin/ls' });
    expect(normaliseEntryPath('/etc/passwd')).toMatchObject({ path: 'etc/passwd', unsafe: 'absolute path' });
    expect(normaliseEntryPath('a/../../b').unsafe).toContain('..');
  });

  it('tells links that climb out of the root from those that stay in', () => {
    expect(linkEscapes('a/b/link', '../../x', false)).toBe(false);
    expect(linkEscapes('a/b/link', '../../../x', false)).toBe(true);
    expect(linkEscapes('a/link', '/etc/shadow', false)).toBe(false);
    expect(linkEscapes('a/hard', 'etc/shadow', true)).toBe(false);
    expect(linkEscapes('a/hard', '/etc/shadow', true)).toBe(true);
  });

  it('ignores key-looking content in documentation and third-party test fixtures', () => {
    const key = Buffer.from('-----BEGIN RSA PRIVATE KEY-----\n');
    expect(secretsInContent('usr/lib/node_modules/x/test/fixtures/key.pem', key)).toEqual([]);
    expect(secretsInContent('app/keys/key.pem', key)).toEqual([{ path: 'app/keys/key.pem', kind: 'private-key', line: 1 }]);
  });
});
