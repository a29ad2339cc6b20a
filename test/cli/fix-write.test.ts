import { linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';

function fakeStream(): NodeJS.WriteStream & { text: () => string } {
  const chunks: string[] = [];
  return { isTTY: false, write: (chunk: string) => chunks.push(chunk) > 0, text: () => chunks.join('') } as unknown as NodeJS.WriteStream & { text: () => string };
}

const root = mkdtempSync(join(tmpdir(), 'dockaudit-fix-write-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let directory: string;
let counter = 0;

beforeEach(() => {
  counter += 1;
  directory = join(root, String(counter));
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory);
  writeFileSync(join(directory, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n');
});

async function fixCompose(...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = fakeStream();
  const stderr = fakeStream();
  const io: Io = { stdout, stderr, env: {}, cwd: directory };
  const code = await run(['node', 'dockaudit', 'fix', 'compose', join(directory, 'compose.yaml'), '--write', ...extra], io);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** `PATH.bak.<stamp>` for the seconds around now, as `fix --write` names a backup. */
function backupNamesAround(path: string): string[] {
  const names: string[] = [];
  for (let offset = -2; offset <= 10; offset += 1) {
    const stamp = new Date(Date.now() + offset * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    names.push(`${path}.bak.${stamp}`);
  }
  return names;
}

describe('fix --write', () => {
  it('never replaces an earlier backup that has the same name', async () => {
    const override = join(directory, 'compose.override.yaml');
    writeFileSync(override, 'services: {}\n# the original\n');
    const earlier = backupNamesAround(override);
    for (const name of earlier) writeFileSync(name, 'an earlier backup\n');
    const result = await fixCompose();
    expect(result.code).toBe(0);
    for (const name of earlier) expect(readFileSync(name, 'utf8')).toBe('an earlier backup\n');
    const kept = readdirSync(directory).filter((name) => /\.bak\.\d{8}T\d{6}Z-1$/.test(name));
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(directory, kept[0] as string), 'utf8')).toBe('services: {}\n# the original\n');
    expect(result.stderr).toContain(`as ${join(directory, kept[0] as string)}`);
  });

  it('refuses a symbolic link in place of the file, and leaves its target alone', async () => {
    const target = join(directory, 'elsewhere.yaml');
    writeFileSync(target, 'not to be touched\n');
    symlinkSync(target, join(directory, 'compose.override.yaml'));
    const result = await fixCompose();
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refusing to write .*compose\.override\.yaml: it is a symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('not to be touched\n');
  });

  it('replaces a hard-linked file by a new one: the other name keeps what it held', async () => {
    const override = join(directory, 'compose.override.yaml');
    const other = join(directory, 'other-name.yaml');
    writeFileSync(override, 'services: {}\n');
    linkSync(override, other);
    expect((await fixCompose()).code).toBe(0);
    expect(readFileSync(other, 'utf8')).toBe('services: {}\n');
    expect(readFileSync(override, 'utf8')).toContain('privileged');
  });

  it('refuses to replace a file of absurd size rather than read it whole', async () => {
    const override = join(directory, 'compose.override.yaml');
    writeFileSync(override, '');
    truncateSync(override, 64 * 1024 * 1024);
    const result = await fixCompose();
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refusing to replace .*compose\.override\.yaml: it holds 67108864 bytes, more than the 16777216/);
    expect(readdirSync(directory).filter((name) => name.includes('.bak.'))).toEqual([]);
  });
});
