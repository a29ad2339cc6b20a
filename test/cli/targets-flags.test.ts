/**
 * The flags of an audit of several daemons: what is refused before any daemon is asked.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { contextId } from '../../src/collect/contexts.js';
import type { Io } from '../../src/cli/output.js';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => ((stdout += text), true), isTTY: false },
    stderr: { write: (text: string) => ((stderr += text), true), isTTY: false },
    env: { NO_COLOR: '1', ...env },
    cwd: mkdtempSync(join(tmpdir(), 'da-flags-')),
  } as unknown as Io;
  const code = await run(['node', 'dockaudit', ...args], io);
  return { code, stdout, stderr };
}

describe('flags of several targets', () => {
  it('refuses --host-root with several daemons', async () => {
    const { code, stderr } = await cli(['audit', '-H', 'unix:///a.sock', '-H', 'unix:///b.sock', '--host-root', '/host']);
    expect(code).toBe(2);
    expect(stderr).toBe('dockaudit: --host-root is the filesystem of one host: give it with one --host or --context\n');
  });

  it('refuses a --target-concurrency that is not a count from 1 to 64', async () => {
    for (const value of ['0', '65', 'two']) {
      const { code, stderr } = await cli(['audit', '-H', 'unix:///a.sock', '-H', 'unix:///b.sock', '--target-concurrency', value]);
      expect(code).toBe(2);
      expect(stderr).toBe(`dockaudit: --target-concurrency must be between 1 and 64, got ${value}\n`);
    }
  });

  it('refuses an unknown context before asking any daemon', async () => {
    const config = mkdtempSync(join(tmpdir(), 'da-docker-config-'));
    const { code, stderr, stdout } = await cli(['audit', '-H', 'unix:///a.sock', '--context', 'nope'], { DOCKER_CONFIG: config });
    expect(code).toBe(2);
    expect(stderr).toBe(`dockaudit: context "nope" not found (no ${join(config, 'contexts', 'meta', contextId('nope'), 'meta.json')})\n`);
    expect(stdout).toBe('');
  });

  it('lets snapshot read one daemon only', async () => {
    const { code, stderr } = await cli(['snapshot', '-o', '-', '-H', 'unix:///a.sock', '-H', 'unix:///b.sock']);
    expect(code).toBe(2);
    expect(stderr).toBe('dockaudit: snapshot reads one daemon: give one --host or --context\n');
  });
});
