/**
 * The one reader of files that may be anything: regular files only (a FIFO is refused at once,
 * not waited on), at most the cap whatever the size says (a /proc file says 0), and the cap
 * checked both on the size and on what the read got.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readBoundedFile } from '../../src/collect/bounded-file.js';

let directory: string | undefined;

afterEach(() => {
  if (directory) rmSync(directory, { recursive: true, force: true });
  directory = undefined;
});

function scratch(): string {
  directory = mkdtempSync(join(tmpdir(), 'da-bounded-'));
  return directory;
}

describe('readBoundedFile', () => {
  it('reads a regular file whole, up to and including the cap', () => {
    const file = join(scratch(), 'a.txt');
    writeFileSync(file, 'x'.repeat(600_000));
    const read = readBoundedFile(file, 600_000);
    expect(read.status).toBe('read');
    expect(read.status === 'read' && read.bytes.length).toBe(600_000);
    expect(readBoundedFile(file, 599_999)).toEqual({ status: 'too-large', size: 600_000 });
  });

  it('refuses a FIFO without waiting for a writer, and a directory or a device, naming what it is', () => {
    const fifo = join(scratch(), 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect(readBoundedFile(fifo, 1024)).toEqual({ status: 'not-regular', type: 'a FIFO' });
    expect(readBoundedFile(directory as string, 1024)).toEqual({ status: 'not-regular', type: 'a directory' });
    expect(readBoundedFile('/dev/zero', 1024)).toEqual({ status: 'not-regular', type: 'a character device' });
  });

  it('reads a file whose size says 0, and stops one byte past the cap when it is longer', () => {
    const whole = readBoundedFile('/proc/self/status', 1 << 20);
    expect(whole.status === 'read' && whole.bytes.toString()).toContain('Pid:');
    const cut = readBoundedFile('/proc/self/status', 10);
    expect(cut).toEqual({ status: 'too-large', size: 11 });
  });

  it('throws what the open throws, for the caller to name the file', () => {
    expect(() => readBoundedFile(join(scratch(), 'missing'), 10)).toThrow(/ENOENT/);
  });
});

describe('the files read through it refuse a FIFO at once, with one line', () => {
  it('a snapshot, a context, TLS files and the Docker config', async () => {
    const { readSnapshot } = await import('../../src/audit/index.js');
    const { resolveContext, contextId } = await import('../../src/collect/contexts.js');
    const { resolveEndpoint } = await import('../../src/collect/endpoint.js');
    const root = scratch();
    const fifo = join(root, 'pipe');
    execFileSync('mkfifo', [fifo]);
    await expect(readSnapshot(fifo)).rejects.toThrow(`cannot read snapshot ${fifo}: a FIFO, not a regular file`);

    const meta = join(root, 'contexts', 'meta', contextId('ctx'));
    execFileSync('mkdir', ['-p', meta]);
    execFileSync('mkfifo', [join(meta, 'meta.json')]);
    expect(() => resolveContext('ctx', { DOCKER_CONFIG: root })).toThrow(/a FIFO, not a regular file/);

    const certs = join(root, 'certs');
    execFileSync('mkdir', ['-p', certs]);
    execFileSync('mkfifo', [join(certs, 'ca.pem')]);
    expect(() => resolveEndpoint(undefined, { DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs })).toThrow(/ca\.pem is a FIFO, not a regular file/);
  });
});
