import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pendingCleanups, runCleanups } from '../../src/cli/interrupt.js';
import { emit, type Io } from '../../src/cli/output.js';

const directory = mkdtempSync(join(tmpdir(), 'dockaudit-output-interrupt-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const io = { stdout: process.stdout, stderr: process.stderr, env: {}, cwd: directory } as unknown as Io;

describe('a report file written when a signal arrives', () => {
  it('has its temporary file removed by the cleanup main.ts runs on SIGINT or SIGTERM', async () => {
    const output = join(directory, 'report.html');
    let cleaned: Promise<void> | undefined;
    let registered = 0;
    let temporaries: string[] = [];
    function* pieces(): Generator<string> {
      yield 'x'.repeat(1 << 16);
      // What main.ts does on a signal, while the report is half written.
      registered = pendingCleanups();
      temporaries = readdirSync(directory).filter((name) => name.endsWith('.tmp'));
      cleaned = runCleanups(5000);
      yield 'y'.repeat(1 << 16);
    }
    const written = emit(io, pieces(), output);
    await expect(written).rejects.toThrow(/cannot write/);
    await cleaned;
    expect(registered).toBe(1);
    expect(temporaries).toHaveLength(1);
    expect(readdirSync(directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(output)).toBe(false);
    expect(pendingCleanups()).toBe(0);
  });
});
