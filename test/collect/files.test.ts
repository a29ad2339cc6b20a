import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectFiles } from '../../src/collect/files.js';

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
      { path: 'Dockerfile', kind: 'dockerfile', skipped: 'binary file (contains NUL bytes)' },
      { path: 'build/custom.txt', kind: 'dockerfile', content: 'FROM alpine:3.20\n' },
    ]);
  });
});
