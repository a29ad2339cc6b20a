import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emit, writeReport, type Io } from '../../src/cli/output.js';
import { configSchema } from '../../src/engine/config.js';
import { runRules } from '../../src/engine/run.js';
import { snap } from '../helpers/builder.js';

const directory = mkdtempSync(join(tmpdir(), 'dockaudit-output-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const io = { stdout: process.stdout, stderr: process.stderr, env: {}, cwd: directory } as Io;
const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe('writing a snapshot or report file', () => {
  it('creates a new file readable by its owner only', async () => {
    const file = join(directory, 'new.json');
    await emit(io, ['{"a":', '1}\n'], file);
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n');
    expect(modeOf(file)).toBe(0o600);
  });

  it('replaces an existing 0644 file by a fresh 0600 one instead of keeping its mode', async () => {
    const file = join(directory, 'old.json');
    writeFileSync(file, 'old content that is longer than the new one\n');
    chmodSync(file, 0o644);
    await emit(io, 'new\n', file, 0o600);
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(modeOf(file)).toBe(0o600);
    expect(readdirSync(directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('writes reports 0600 too', async () => {
    const file = join(directory, 'report.sarif');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    const report = runRules(snap().build(), [], configSchema.parse({}), { toolVersion: 'test' });
    await writeReport(io, report, { format: 'sarif', output: file });
    expect(modeOf(file)).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: '2.1.0' });
  });

  it('refuses a target that is a symbolic link, and leaves the link and what it points to alone', async () => {
    const victim = join(directory, 'victim.txt');
    writeFileSync(victim, 'keep me\n');
    chmodSync(victim, 0o644);
    const link = join(directory, 'link.json');
    symlinkSync(victim, link);
    await expect(emit(io, 'secret\n', link)).rejects.toThrow(/^refusing to write .*link\.json: it is a symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(modeOf(victim)).toBe(0o644);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(victim);
  });

  it('refuses a dangling symbolic link and a directory', async () => {
    const dangling = join(directory, 'dangling.json');
    symlinkSync(join(directory, 'nowhere', 'x'), dangling);
    await expect(emit(io, 'x', dangling)).rejects.toThrow(/symbolic link/);
    const folder = join(directory, 'folder');
    mkdirSync(folder);
    await expect(emit(io, 'x', folder)).rejects.toThrow(/not a regular file/);
  });

  it('names the file in a one-line error when its directory does not exist', async () => {
    await expect(emit(io, 'x', join(directory, 'missing', 'out.json'))).rejects.toThrow(/^cannot write .*out\.json: /);
  });
});

describe('writing to a device', () => {
  it('writes to /dev/null in place, leaving it as it is', async () => {
    const before = statSync('/dev/null');
    await emit(io, 'discarded\n', '/dev/null');
    const after = statSync('/dev/null');
    expect(after.isCharacterDevice()).toBe(true);
    expect([after.ino, after.mode]).toEqual([before.ino, before.mode]);
  });
});
