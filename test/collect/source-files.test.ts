import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectFiles } from '../../src/collect/source-files.js';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dockaudit-files-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('file discovery', () => {
  it('finds Dockerfiles and Compose files by name, honours .gitignore and skips vendored directories', async () => {
    const root = tree({
      '.gitignore': 'ignored/\n*.generated.Dockerfile\n',
      'Dockerfile': 'FROM alpine:3.20\n',
      'api/Dockerfile.prod': 'FROM alpine:3.20\n',
      'api/web.Dockerfile': 'FROM alpine:3.20\n',
      'api/app.generated.Dockerfile': 'FROM alpine:3.20\n',
      'api/compose.yaml': 'services: {}\n',
      'ops/docker-compose.override.yml': 'services: {}\n',
      'ops/notes.yaml': 'x: 1\n',
      'ignored/Dockerfile': 'FROM alpine:3.20\n',
      'node_modules/pkg/Dockerfile': 'FROM alpine:3.20\n',
      'bin/Containerfile': 'FROM alpine:3.20\n',
    });
    const { files } = await collectFiles(['.'], root);
    expect(files.map((file) => [file.path, file.kind])).toEqual([
      ['Dockerfile', 'dockerfile'],
      ['api/Dockerfile.prod', 'dockerfile'],
      ['api/compose.yaml', 'compose'],
      ['api/web.Dockerfile', 'dockerfile'],
      ['bin/Containerfile', 'dockerfile'],
      ['ops/docker-compose.override.yml', 'compose'],
    ]);
  });

  it('reads the .env beside each Compose file, through a symlink too, and never a dangling one', async () => {
    const root = tree({
      'a/compose.yaml': 'services: {}\n',
      'a/.env': 'TAG=1\n',
      'b/compose.yaml': 'services: {}\n',
      'b/real.env': 'TAG=2\n',
      'c/compose.yaml': 'services: {}\n',
      'd/compose.yaml': 'services: {}\n',
    });
    symlinkSync('real.env', join(root, 'b/.env'));
    symlinkSync('missing.env', join(root, 'c/.env'));
    const { files } = await collectFiles(['.'], root);
    expect(files.filter((file) => file.kind === 'env').map((file) => [file.path, file.content])).toEqual([
      ['a/.env', 'TAG=1\n'],
      ['b/.env', 'TAG=2\n'],
    ]);
    // A Compose file given by path, outside the searched tree, still gets its .env.
    const other = tree({ 'compose.yaml': 'services: {}\n', '.env': 'TAG=3\n' });
    const given = await collectFiles([], root, [join(other, 'compose.yaml')]);
    expect(given.files.map((file) => file.kind)).toEqual(['compose', 'env']);
  });

  it('skips binary files with the reason, and takes an explicit file as given', async () => {
    const root = tree({ 'Dockerfile': 'FROM alpine\u0000\n', 'build/custom.txt': 'FROM alpine:3.20\n' });
    const { files } = await collectFiles(['.', 'build/custom.txt'], root);
    expect(files).toEqual([
      { path: 'Dockerfile', kind: 'dockerfile', skipped: 'refused: binary file (contains NUL bytes)' },
      { path: 'build/custom.txt', kind: 'dockerfile', content: 'FROM alpine:3.20\n' },
    ]);
  });

  it('refuses a file over the cap, found or named, whatever its kind, and reads one at the cap', async () => {
    const root = tree({
      'big/Dockerfile': `FROM alpine\n#${'x'.repeat(98)}\n`,
      'big/compose.yaml': `services: {}\n#${'x'.repeat(98)}\n`,
      'fits/Dockerfile': `FROM alpine\n#${'x'.repeat(86)}\n`,
    });
    const { files } = await collectFiles(['.'], root, [], { maxFileBytes: 100 });
    expect(files.map((file) => [file.path, file.skipped])).toEqual([
      ['big/Dockerfile', 'refused: 112 bytes or more, larger than the 100-byte cap (--max-file-bytes)'],
      ['big/compose.yaml', 'refused: 113 bytes or more, larger than the 100-byte cap (--max-file-bytes)'],
      ['fits/Dockerfile', undefined],
    ]);
    expect(files[2]?.content).toHaveLength(100);
    const named = await collectFiles([], root, ['big/compose.yaml'], { maxFileBytes: 100 });
    expect(named.files[0]?.skipped).toMatch(/larger than the 100-byte cap/);
  });

  it('refuses a named FIFO and a symlink to a device at once, with the reason, instead of waiting on them', async () => {
    const root = tree({ 'Dockerfile': 'FROM alpine\n' });
    execFileSync('mkfifo', [join(root, 'fifo.Dockerfile')]);
    symlinkSync('/dev/zero', join(root, 'zero.Dockerfile'));
    symlinkSync('/dev/zero', join(root, 'compose.yaml'));
    const { files } = await collectFiles(['fifo.Dockerfile', 'zero.Dockerfile'], root, ['compose.yaml']);
    expect(files.map((file) => [file.path, file.kind, file.skipped])).toEqual([
      ['compose.yaml', 'compose', 'refused: a character device, not a regular file'],
      ['fifo.Dockerfile', 'dockerfile', 'refused: a FIFO, not a regular file'],
      ['zero.Dockerfile', 'dockerfile', 'refused: a character device, not a regular file'],
    ]);
  });

  it('reads a regular file whose size says 0 to its end, and still stops at the cap', async () => {
    const { files } = await collectFiles(['/proc/self/status'], '/', [], { maxFileBytes: 1_000_000 });
    expect(files[0]?.content).toMatch(/^Name:/);
    const capped = await collectFiles(['/proc/self/status'], '/', [], { maxFileBytes: 10 });
    expect(capped.files[0]?.skipped).toBe('refused: 11 bytes or more, larger than the 10-byte cap (--max-file-bytes)');
  });
});
