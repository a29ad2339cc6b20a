import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensurePrivateDirectory, readPrivateFile, writePrivateFile } from '../../src/collect/private-file.js';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dockaudit-private-test-'));
}

describe('private cache files', () => {
  it('creates 0700 directories, fixing existing ones, and 0600 files, also over an existing 0644 one', async () => {
    const root = scratch();
    const existing = join(root, 'dockaudit');
    await mkdir(existing);
    await chmod(existing, 0o755);
    await ensurePrivateDirectory(join(existing, 'layers'), [existing]);
    expect(statSync(existing).mode & 0o777).toBe(0o700);
    expect(statSync(join(existing, 'layers')).mode & 0o777).toBe(0o700);
    const file = join(existing, 'apt-pending.json');
    await writeFile(file, 'old', { mode: 0o644 });
    await writePrivateFile(file, '{"pending":[]}');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await readPrivateFile(file)).toBe('{"pending":[]}');
  });

  it('replaces a symbolic link in place of the file instead of writing through it, and refuses to read through one', async () => {
    const root = scratch();
    const victim = join(root, 'victim');
    await writeFile(victim, 'precious');
    const file = join(root, 'apt-pending.json');
    await symlink(victim, file);
    await expect(readPrivateFile(file)).rejects.toThrow();
    await writePrivateFile(file, 'cache');
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(statSync(file).isFile()).toBe(true);
  });
});
