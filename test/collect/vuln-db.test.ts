import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisoriesForImages, loadAdvisoryDatabase, updateVulnerabilityDatabase } from '../../src/collect/vuln-db/index.js';
import { zipOf } from '../helpers/zip.js';
import { layer, scannedImage } from '../rules/image/scan-builder.js';

const doc = (id: string, name: string, ecosystem = 'Debian:12', fixed = '2.0-1'): string =>
  JSON.stringify({ id, affected: [{ package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] }] });

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dockaudit-vulndb-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('reading a vulnerability database', () => {
  it('reads directories of JSON documents and zip files, counting what it cannot read', async () => {
    const directory = join(root, 'mixed');
    await mkdir(join(directory, 'sub'), { recursive: true });
    await writeFile(join(directory, 'DSA-1.json'), doc('DSA-1', 'openssl'));
    await writeFile(join(directory, 'sub', 'DSA-2.json'), doc('DSA-2', 'zlib'));
    await writeFile(join(directory, 'broken.json'), '{"id": ');
    await writeFile(join(directory, 'README.txt'), 'not a document');
    await writeFile(join(directory, 'Alpine.zip'), zipOf([{ name: 'ALPINE-1.json', content: doc('ALPINE-1', 'musl', 'Alpine:v3.19') }, { name: 'x/', content: '' }]));
    await symlink('/etc/passwd', join(directory, 'link.json'));
    const index = await loadAdvisoryDatabase([directory]);
    expect(index.lookup('Debian:12', 'openssl').map((advisory) => advisory.id)).toEqual(['DSA-1']);
    expect(index.lookup('Debian:12', 'zlib').map((advisory) => advisory.id)).toEqual(['DSA-2']);
    expect(index.lookup('Alpine:v3.19', 'musl').map((advisory) => advisory.id)).toEqual(['ALPINE-1']);
    expect(index.documents).toBe(4);
    expect(index.unreadable.count).toBe(2);
    expect(index.unreadable.examples).toEqual([`${join(directory, 'broken.json')}: not valid JSON`, `${join(directory, 'link.json')}: a symbolic link, not followed`]);
  });

  it('counts a zip entry declaring more than the document cap without inflating it, and one inflating past what it declares', async () => {
    const path = join(root, 'bomb.zip');
    const big = `{"id":"BIG","affected":[],"pad":"${'a'.repeat(5000)}"}`;
    await writeFile(path, zipOf([{ name: 'big.json', content: big }, { name: 'liar.json', content: big, declaredSize: 100 }, { name: 'ok.json', content: doc('OK-1', 'bash') }]));
    const index = await loadAdvisoryDatabase([path], { limits: { documentBytes: 1024, documents: 100, databaseBytes: 1 << 20 } });
    expect(index.lookup('Debian:12', 'bash').map((advisory) => advisory.id)).toEqual(['OK-1']);
    expect(index.unreadable.count).toBe(2);
    expect(index.unreadable.examples[0]).toContain('big.json: declares 5');
    expect(index.unreadable.examples[1]).toMatch(/liar\.json: (inflates past the cap|too many bytes)/);
  });

  it.each([
    ['held in memory', undefined],
    ['read entry by entry', 0],
  ])('checks what each entry of a zip %s inflates to against what it declares', async (_how, inMemoryZipBytes) => {
    const path = join(root, `sizes-${String(inMemoryZipBytes)}.zip`);
    const body = doc('SIZE-1', 'bash');
    await writeFile(path, zipOf([{ name: 'short.json', content: body, declaredSize: body.length - 5 }, { name: 'ok.json', content: doc('OK-2', 'bash') }, { name: 'big.json', content: 'x'.repeat(4096), declaredSize: 10 }]));
    const index = await loadAdvisoryDatabase([path], { limits: { documentBytes: 1024, documents: 100, databaseBytes: 1 << 20 }, ...(inMemoryZipBytes !== undefined ? { inMemoryZipBytes } : {}) });
    expect(index.lookup('Debian:12', 'bash').map((advisory) => advisory.id)).toEqual(['OK-2']);
    expect(index.unreadable.count).toBe(2);
    expect(index.unreadable.examples[0]).toMatch(/short\.json: (inflates to \d+ bytes where it declares \d+|too many bytes in the stream)/);
    expect(index.unreadable.examples[1]).toMatch(/big\.json: (inflates past the cap|too many bytes in the stream)/);
  });

  it('stops at the cap of documents and says the rest was not read', async () => {
    const path = join(root, 'many.zip');
    await writeFile(path, zipOf(Array.from({ length: 20 }, (_, index) => ({ name: `d${index}.json`, content: doc(`D-${index}`, 'bash') }))));
    const index = await loadAdvisoryDatabase([path], { limits: { documentBytes: 1 << 20, documents: 5, databaseBytes: 1 << 30 } });
    expect(index.lookup('Debian:12', 'bash')).toHaveLength(5);
    expect(index.unreadable.examples.at(-1)).toContain('more than 5 documents (--max-vuln-documents); the rest was not read');
  });

  it('counts a truncated zip as unreadable and keeps what a directory held besides', async () => {
    const directory = join(root, 'truncated');
    await mkdir(directory);
    const whole = zipOf([{ name: 'a.json', content: doc('A-1', 'bash') }]);
    await writeFile(join(directory, 'Debian.zip'), whole.subarray(0, whole.length - 10));
    await writeFile(join(directory, 'B-1.json'), doc('B-1', 'bash'));
    const index = await loadAdvisoryDatabase([directory]);
    expect(index.lookup('Debian:12', 'bash').map((advisory) => advisory.id)).toEqual(['B-1']);
    expect(index.unreadable.examples[0]).toContain('Debian.zip: not a readable zip file');
  });

  it('counts a FIFO named as the database as unreadable instead of waiting on it for ever', async () => {
    const fifo = join(root, 'db.fifo');
    execFileSync('mkfifo', [fifo]);
    const index = await loadAdvisoryDatabase([fifo]);
    expect(index.documents).toBe(0);
    expect(index.unreadable.examples).toEqual([`${fifo}: not a regular file`]);
  }, 5000);

  it('refuses a path that does not exist', async () => {
    await expect(loadAdvisoryDatabase([join(root, 'missing')])).rejects.toThrow(/cannot read the vulnerability database .*missing/);
  });
});

describe('advisories for scanned images', () => {
  const debian = scannedImage(
    [layer({ texts: { 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n', 'var/lib/dpkg/status': 'Package: libssl3\nStatus: install ok installed\nSource: openssl\nVersion: 1.0-1\n' } })],
    { names: ['app:1'] },
  );

  it('keeps only the advisories of the images’ release and source packages, and counts every ecosystem', async () => {
    const directory = join(root, 'images');
    await mkdir(directory);
    await writeFile(join(directory, 'a.json'), doc('DSA-1', 'openssl'));
    await writeFile(join(directory, 'b.json'), doc('DSA-2', 'zlib'));
    await writeFile(join(directory, 'c.json'), doc('DSA-3', 'openssl', 'Debian:11'));
    const database = await advisoriesForImages([debian], { paths: [directory], env: {} });
    expect(database).toMatchObject({ sources: [directory], documents: 3, ecosystems: { 'Debian:12': 2, 'Debian:11': 1 } });
    expect(Object.keys((database as { packages: object }).packages)).toEqual(['Debian:12\u0000openssl']);
  });

  it('is unavailable, with the way to get one, when none is given or downloaded', async () => {
    const database = await advisoriesForImages([debian], { env: { XDG_CACHE_HOME: join(root, 'empty-cache') } });
    expect(database).toMatchObject({ unavailable: true });
    expect((database as { reason: string }).reason).toContain('dockaudit db update');
  });
});

describe('dockaudit db update', () => {
  let server: Server;
  let base: string;
  const good = zipOf([{ name: 'DSA-1.json', content: doc('DSA-1', 'openssl') }]);
  const newer = zipOf([{ name: 'DSA-1.json', content: doc('DSA-1', 'openssl') }, { name: 'DSA-2.json', content: doc('DSA-2', 'zlib') }]);
  let served = good;
  beforeAll(async () => {
    server = createServer((request, response) => {
      const url = request.url ?? '';
      if (url === '/Debian/all.zip') response.end(served);
      else if (url === '/Broken/all.zip') response.end('this is not a zip');
      else if (url === '/Truncated/all.zip') {
        response.writeHead(200, { 'content-length': String(good.length) });
        response.write(good.subarray(0, good.length - 20), () => request.socket.destroy());
      } else if (url === '/Hanging/all.zip') response.writeHead(200);
      else if (url === '/Empty/all.zip') response.end(zipOf([{ name: 'notes.txt', content: 'x' }]));
      else {
        response.statusCode = 404;
        response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('downloads, checks and puts a zip in place, private, and replaces it on the next update', async () => {
    const directory = join(root, 'cache', 'osv');
    const [first] = await updateVulnerabilityDatabase({ ecosystems: ['Debian'], directory, source: base });
    expect(first).toMatchObject({ ecosystem: 'Debian', status: 'updated', documents: 1, bytes: good.length });
    expect(((await stat(join(directory, 'Debian.zip'))).mode & 0o777).toString(8)).toBe('600');
    expect(((await stat(directory)).mode & 0o777).toString(8)).toBe('700');
    served = newer;
    const [second] = await updateVulnerabilityDatabase({ ecosystems: ['Debian'], directory, source: base });
    expect(second).toMatchObject({ status: 'updated', documents: 2 });
    expect((await readFile(join(directory, 'Debian.zip'))).equals(newer)).toBe(true);
    served = good;
  });

  it('keeps the previous copy when a download is broken, cut short, empty, missing or hangs, and leaves no temporary file', async () => {
    const directory = join(root, 'kept');
    await mkdir(directory, { recursive: true });
    const previous = zipOf([{ name: 'OLD.json', content: doc('OLD-1', 'bash') }]);
    for (const name of ['Broken', 'Truncated', 'Hanging', 'Empty', 'Missing']) await writeFile(join(directory, `${name}.zip`), previous);
    const started = Date.now();
    const results = await updateVulnerabilityDatabase({ ecosystems: ['Broken', 'Truncated', 'Hanging', 'Empty', 'Missing'], directory, source: base, idleTimeoutMs: 500, timeoutMs: 2000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(results.map((result) => result.status)).toEqual(['failed', 'failed', 'failed', 'failed', 'failed']);
    const reasons = results.map((result) => (result.status === 'failed' ? result.reason : ''));
    expect(reasons[0]).toContain('not a readable zip of OSV documents');
    expect(reasons[1]).toMatch(/cut short|aborted|socket hang up/);
    expect(reasons[2]).toMatch(/no data for|not done within/);
    expect(reasons[3]).toContain('0 documents read');
    expect(reasons[4]).toContain('HTTP 404');
    for (const result of results) expect(result).toMatchObject({ kept: join(directory, `${result.ecosystem}.zip`) });
    for (const name of ['Broken', 'Truncated', 'Hanging', 'Empty', 'Missing']) expect((await readFile(join(directory, `${name}.zip`))).equals(previous)).toBe(true);
    expect((await readdir(directory)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a download over its size cap', async () => {
    const [result] = await updateVulnerabilityDatabase({ ecosystems: ['Debian'], directory: join(root, 'small'), source: base, maxBytes: 10 });
    expect(result).toMatchObject({ status: 'failed' });
    expect(result?.status === 'failed' ? result.reason : '').toContain('over the cap of 10 B');
  });
});

describe('dockaudit db update against a hostile server', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((request, response) => {
      const url = request.url ?? '';
      if (url.startsWith('/redirect/')) {
        response.writeHead(302, { location: 'file:///etc/passwd' });
        response.end();
      } else if (url.startsWith('/elsewhere/')) {
        response.writeHead(307, { location: 'http://198.51.100.1/all.zip' });
        response.end();
      } else if (url.startsWith('/gzip/')) {
        // A gzip bomb: 64 MiB of zeros in a few kilobytes, labelled as gzip.
        response.writeHead(200, { 'content-encoding': 'gzip' });
        response.end(gzipSync(Buffer.alloc(64 * 1024 * 1024)));
      } else {
        response.statusCode = 404;
        response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('never prints the credentials a --source address carries', async () => {
    const results = await updateVulnerabilityDatabase({ ecosystems: ['Debian'], directory: join(root, 'hostile-1'), source: `http://mirror-user:s3cret-t0ken@127.0.0.1:${port}/missing` });
    expect(results[0]).toMatchObject({ status: 'failed' });
    expect(JSON.stringify(results)).not.toContain('s3cret-t0ken');
    expect(JSON.stringify(results)).toContain(`http://127.0.0.1:${port}/missing/Debian/all.zip answered HTTP 404`);
  });

  it('follows no redirect (to file:// or another host) and inflates nothing the server labels gzip', async () => {
    const directory = join(root, 'hostile-2');
    const results = [
      ...(await updateVulnerabilityDatabase({ ecosystems: ['Debian'], directory, source: `http://127.0.0.1:${port}/redirect` })),
      ...(await updateVulnerabilityDatabase({ ecosystems: ['Debian'], directory, source: `http://127.0.0.1:${port}/elsewhere` })),
      ...(await updateVulnerabilityDatabase({ ecosystems: ['Debian'], directory, source: `http://127.0.0.1:${port}/gzip`, maxBytes: 1024 * 1024 })),
    ];
    const reasons = results.map((result) => (result.status === 'failed' ? result.reason : 'updated'));
    expect(reasons[0]).toMatch(/answered HTTP 302$/);
    expect(reasons[1]).toMatch(/answered HTTP 307$/);
    expect(reasons[2]).toContain('not a readable zip of OSV documents');
    expect((await readdir(directory)).filter((name) => name !== '.' && name.endsWith('.zip'))).toEqual([]);
  });
});
