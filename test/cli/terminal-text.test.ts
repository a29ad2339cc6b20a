import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';
import { createProgress } from '../../src/cli/progress.js';
import { snap } from '../helpers/builder.js';
import { serialiseSnapshot } from '../../src/snapshot/io.js';

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: () => string } {
  const chunks: string[] = [];
  return {
    isTTY,
    write: (chunk: string) => chunks.push(chunk) > 0,
    text: () => chunks.join(''),
  } as unknown as NodeJS.WriteStream & { text: () => string };
}

const directory = mkdtempSync(join(tmpdir(), 'dockaudit-terminal-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('one-line errors on stderr', () => {
  it('escape control characters that came from the daemon, so the line stays one line', async () => {
    const file = join(directory, 'down.json');
    writeFileSync(file, serialiseSnapshot(snap().daemonUnavailable('connect failed\u001b[2J\nPASS forged\u001b]0;t\u0007').build()));
    const stdout = fakeStream(false);
    const stderr = fakeStream(false);
    const io: Io = { stdout, stderr, env: {}, cwd: directory };
    const code = await run(['node', 'dockaudit', 'audit', '--snapshot', file, '--no-color'], io);
    expect(code).toBe(2);
    expect(stderr.text()).toContain('dockaudit: connect failed\\x1b[2J\\nPASS forged\\x1b]0;t\\x07\n');
    expect(stderr.text().replace(/\n/g, '')).not.toMatch(CONTROL);
    expect(stdout.text()).not.toMatch(CONTROL);
  });

  it('escape a usage error that quotes an argument', async () => {
    const stderr = fakeStream(false);
    const io: Io = { stdout: fakeStream(false), stderr, env: {}, cwd: directory };
    await run(['node', 'dockaudit', 'audit', '--format', 'x\u001b[2J'], io);
    expect(stderr.text()).toContain('x\\x1b[2J');
    expect(stderr.text()).not.toContain('\u001b');
  });
});

describe('progress line', () => {
  it('escapes the stage it names and keeps its own line control', () => {
    const stream = fakeStream(true);
    const progress = createProgress(stream);
    progress.update('images\u001b]0;t\u0007\n', 20, 20);
    progress.done();
    expect(stream.text()).toBe('\r\u001b[2Kcollecting images\\x1b]0;t\\x07\\n: 20/20\r\u001b[2K');
  });
});
