import { Readable } from 'node:stream';
import { extract, pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import {
  configChanges,
  elfInterpreter,
  filterTar,
  indexTar,
  normaliseEntryName,
  planKeep,
  planTotals,
  realPath,
  resolvedFileUses,
  shebangInterpreter,
  type FsIndex,
} from '../../src/slim/minify.js';

const LOADER = '/lib64/ld-linux-x86-64.so.2';

/** A 64-bit little-endian ELF header with one PT_INTERP program header naming `interpreter`. */
function elfWithInterpreter(interpreter: string): Buffer {
  const head = Buffer.alloc(256);
  head.writeUInt32BE(0x7f454c46, 0);
  head[4] = 2;
  head[5] = 1;
  head.writeBigUInt64LE(64n, 32); // e_phoff
  head.writeUInt16LE(56, 54); // e_phentsize
  head.writeUInt16LE(1, 56); // e_phnum
  head.writeUInt32LE(3, 64); // PT_INTERP
  head.writeBigUInt64LE(120n, 72); // p_offset
  head.writeBigUInt64LE(BigInt(interpreter.length + 1), 96); // p_filesz
  head.write(`${interpreter}\0`, 120);
  return head;
}

type Entry = { name: string; type?: 'file' | 'directory' | 'symlink' | 'link'; content?: Buffer | string; linkname?: string; mode?: number };

/** An image filesystem as the daemon's export writes it: names without a leading slash. */
const ENTRIES: Entry[] = [
  { name: 'app/', type: 'directory', mode: 0o755 },
  { name: 'app/run.sh', content: '#!/bin/sh\necho hi\n', mode: 0o755 },
  { name: 'app/unused.txt', content: 'x'.repeat(1000) },
  { name: 'bin/', type: 'directory', mode: 0o755 },
  { name: 'bin/busybox', content: Buffer.alloc(2000, 1), mode: 0o755 },
  { name: 'bin/sh', type: 'symlink', linkname: '/bin/busybox' },
  { name: 'bin/cat', type: 'symlink', linkname: 'busybox' },
  { name: 'bin/dyn', content: elfWithInterpreter(LOADER), mode: 0o755 },
  { name: 'lib64/', type: 'directory', mode: 0o755 },
  { name: 'lib64/ld-linux-x86-64.so.2', content: Buffer.alloc(500, 2), mode: 0o755 },
  { name: 'etc/', type: 'directory', mode: 0o755 },
  { name: 'etc/localtime', type: 'symlink', linkname: '../usr/share/zoneinfo/UTC' },
  { name: 'usr/', type: 'directory', mode: 0o755 },
  { name: 'usr/share/', type: 'directory', mode: 0o755 },
  { name: 'usr/share/zoneinfo/', type: 'directory', mode: 0o755 },
  { name: 'usr/share/zoneinfo/UTC', content: 'TZif' },
  { name: 'usr/share/zoneinfo/Europe', content: 'TZif2' },
  { name: 'data/', type: 'directory', mode: 0o755 },
  { name: 'data/a', content: 'a' },
  { name: 'data/b', type: 'link', linkname: 'data/a' },
  { name: 'conf/', type: 'directory', mode: 0o755 },
  { name: 'conf/x/', type: 'directory', mode: 0o755 },
  { name: 'conf/x/y', content: 'y' },
  { name: 'proc/', type: 'directory', mode: 0o755 },
];

function tarOf(entries: Entry[]): Readable {
  const archive = pack();
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    const header = { name: entry.name, type, mode: entry.mode ?? 0o644, ...(entry.linkname ? { linkname: entry.linkname } : {}) };
    if (type === 'file') archive.entry(header, typeof entry.content === 'string' ? Buffer.from(entry.content) : (entry.content ?? Buffer.alloc(0)));
    else archive.entry(header);
  }
  archive.finalize();
  return Readable.from(archive as AsyncIterable<Buffer>);
}

async function names(stream: Readable): Promise<string[]> {
  const reader = extract();
  const found: string[] = [];
  reader.on('entry', (header, body, next) => {
    found.push(header.name);
    body.on('end', next);
    body.resume();
  });
  const done = new Promise((resolve, reject) => {
    reader.on('finish', resolve);
    reader.on('error', reject);
  });
  stream.pipe(reader);
  await done;
  return found;
}

describe('indexTar', () => {
  it('keeps headers and the first bytes of executables only', async () => {
    const index = await indexTar(tarOf(ENTRIES));
    expect(index.get('/bin/sh')).toMatchObject({ type: 'symlink', linkname: '/bin/busybox' });
    expect(index.get('/data/b')).toMatchObject({ type: 'link', linkname: '/data/a' });
    expect(index.get('/app')).toMatchObject({ type: 'directory' });
    expect(index.get('/app/run.sh')?.head?.toString()).toBe('#!/bin/sh\necho hi\n');
    expect(index.get('/app/unused.txt')?.head).toBeUndefined();
    expect(index.get('/bin/busybox')?.head?.length).toBe(2000);
  });
});

describe('interpreters', () => {
  it('reads #! lines and ELF program interpreters', () => {
    expect(shebangInterpreter(Buffer.from('#!/usr/bin/env python3\n'))).toBe('/usr/bin/env');
    expect(shebangInterpreter(Buffer.from('echo'))).toBeUndefined();
    expect(elfInterpreter(elfWithInterpreter(LOADER))).toBe(LOADER);
    expect(elfInterpreter(Buffer.from('#!/bin/sh\n'))).toBeUndefined();
  });
});

describe('planKeep', () => {
  let index: FsIndex;
  const plan = async (request: Parameters<typeof planKeep>[1]) => {
    index ??= await indexTar(tarOf(ENTRIES));
    return planKeep(index, request);
  };

  it("keeps a script, its parents, its interpreter and the interpreter's symlink chain", async () => {
    const { keep } = await plan({ paths: ['/app/run.sh'] });
    expect([...keep].sort()).toEqual(['/', '/app', '/app/run.sh', '/bin', '/bin/busybox', '/bin/sh']);
  });

  it('follows relative symlinks and keeps the ELF loader of a dynamic program', async () => {
    expect([...(await plan({ paths: ['/etc/localtime'] })).keep]).toEqual(expect.arrayContaining(['/etc/localtime', '/usr/share/zoneinfo/UTC', '/usr/share/zoneinfo']));
    expect([...(await plan({ paths: ['/bin/cat'] })).keep]).toContain('/bin/busybox');
    expect([...(await plan({ paths: ['/bin/dyn'] })).keep]).toContain(LOADER);
  });

  it('keeps the file a hard link shares, the entries of listed directories, and --include trees', async () => {
    expect([...(await plan({ paths: ['/data/b'] })).keep]).toContain('/data/a');
    const listed = (await plan({ paths: [], listed: ['/usr/share/zoneinfo'] })).keep;
    expect([...listed]).toEqual(expect.arrayContaining(['/usr/share/zoneinfo/UTC', '/usr/share/zoneinfo/Europe']));
    const included = await plan({ paths: [], include: ['/conf', 'nothing/here'] });
    expect([...included.keep]).toEqual(expect.arrayContaining(['/conf', '/conf/x', '/conf/x/y']));
    expect(included.missingIncludes).toEqual(['nothing/here']);
  });

  it("ignores paths the image does not have and what the runtime mounts over", async () => {
    const { keep } = await plan({ paths: ['/tmp/out', '/proc/self/exe', '/proc'] });
    expect([...keep]).toEqual(['/']);
  });

  it('counts what it keeps', async () => {
    const { keep } = await plan({ paths: ['/app/run.sh'] });
    const totals = planTotals(index, keep);
    expect(totals).toMatchObject({ keptFiles: 3, keptBytes: 2018 });
    expect(totals.totalFiles).toBeGreaterThan(totals.keptFiles);
  });
});

describe('realPath and resolvedFileUses', () => {
  it('resolves symlinks on the way and adds interpreters as executed', async () => {
    const index = await indexTar(tarOf(ENTRIES));
    expect(realPath(index, '/etc/localtime')).toBe('/usr/share/zoneinfo/UTC');
    expect(realPath(index, '/missing')).toBeUndefined();
    const uses = resolvedFileUses(new Map([['/app/run.sh', new Set(['exec', 'read'])], ['/etc/localtime', new Set(['read'])]]), index, ['exec', 'read']);
    expect(uses.get('/usr/share/zoneinfo/UTC')).toEqual(new Set(['read']));
    expect(uses.get('/bin/sh')).toEqual(new Set(['exec', 'read']));
    expect(uses.get('/bin/busybox')).toEqual(new Set(['exec', 'read']));
  });
});

describe('filterTar', () => {
  it('streams only the kept entries, in order', async () => {
    const keep = new Set(['/', '/app', '/app/run.sh', '/bin', '/bin/busybox', '/bin/sh']);
    expect(await names(filterTar(tarOf(ENTRIES), keep))).toEqual(['app/', 'app/run.sh', 'bin/', 'bin/busybox', 'bin/sh']);
  });

  it('normalises entry names the way the index does', () => {
    expect(normaliseEntryName('./bin/')).toBe('/bin');
    expect(normaliseEntryName('bin/sh')).toBe('/bin/sh');
    expect(normaliseEntryName('./')).toBe('/');
  });
});

describe('configChanges', () => {
  it('carries the config over as Dockerfile instructions', () => {
    expect(
      configChanges({
        Entrypoint: ['/entry'],
        Cmd: ['serve', '--port', '8080'],
        Env: ['PATH=/bin', 'GREETING=hello world'],
        WorkingDir: '/app',
        User: '1000:1000',
        ExposedPorts: { '8080/tcp': {} },
        Labels: { 'org.example': 'a "b"' },
        Healthcheck: { Test: ['CMD', '/bin/true'], Interval: 2_000_000_000, Retries: 3 },
      }),
    ).toEqual([
      'ENTRYPOINT ["/entry"]',
      'CMD ["serve","--port","8080"]',
      'ENV PATH="/bin"',
      'ENV GREETING="hello world"',
      'WORKDIR /app',
      'USER 1000:1000',
      'EXPOSE 8080/tcp',
      'LABEL "org.example"="a \\"b\\""',
      'HEALTHCHECK --interval=2000ms --retries=3 CMD ["/bin/true"]',
    ]);
    expect(configChanges({})).toEqual([]);
  });
});
