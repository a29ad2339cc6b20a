/**
 * `dockaudit snapshot` takes the container selection of `audit` (--containers,
 * --exclude-containers, --label): the containers left out are neither read nor written.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';
import { containerId, startFaultDaemon, type FaultDaemon } from '../collect/fault-daemon.js';

let daemon: FaultDaemon | undefined;

afterEach(async () => {
  await daemon?.close();
  daemon = undefined;
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => ((stdout += text), true), isTTY: false },
    stderr: { write: (text: string) => ((stderr += text), true), isTTY: false },
    env: { NO_COLOR: '1' },
    cwd: mkdtempSync(join(tmpdir(), 'da-snapshot-')),
  } as unknown as Io;
  const code = await run(['node', 'dockaudit', ...args], io);
  return { code, stdout, stderr };
}

function containerNames(stdout: string): string[] {
  const snapshot = JSON.parse(stdout) as { containers: { inspect: { Name: string } }[] };
  return snapshot.containers.map((facts) => facts.inspect.Name).sort();
}

describe('snapshot with a container selection', () => {
  it('holds only the containers --containers names and --exclude-containers does not, and reads no other', async () => {
    daemon = await startFaultDaemon({ containers: 4, running: 4 });
    const hostRoot = mkdtempSync(join(tmpdir(), 'da-snapshot-root-'));
    const { code, stdout, stderr } = await cli(['snapshot', '-o', '-', '-H', `unix://${daemon.socketPath}`, '--host-root', hostRoot, '--containers', 'fault-*', '--exclude-containers', 'fault-0', '--exclude-containers', 'fault-2']);
    expect(stderr).not.toMatch(/unknown option/);
    expect(code, stderr).not.toBe(2);
    expect(containerNames(stdout)).toEqual(['/fault-1', '/fault-3']);
    const perContainer = daemon.requests.filter((path) => path.startsWith('/containers/') && !path.startsWith('/containers/json'));
    for (const left of [0, 2]) expect(perContainer.filter((path) => path.includes(containerId(left)))).toEqual([]);
  });

  it('keeps only the containers carrying every --label, and refuses a label filter without a key', async () => {
    daemon = await startFaultDaemon({ containers: 2, running: 2 });
    const hostRoot = mkdtempSync(join(tmpdir(), 'da-snapshot-root-'));
    const kept = await cli(['snapshot', '-o', '-', '-H', `unix://${daemon.socketPath}`, '--host-root', hostRoot, '--label', 'team=payments']);
    expect(kept.code, kept.stderr).not.toBe(2);
    expect(containerNames(kept.stdout)).toEqual([]);
    const refused = await cli(['snapshot', '-o', '-', '-H', `unix://${daemon.socketPath}`, '--host-root', hostRoot, '--label', '=x']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('dockaudit: --label: "=x" is not a label filter: expected KEY or KEY=VALUE\n');
    expect(refused.stdout).toBe('');
  });

  it('holds every container without a selection', async () => {
    daemon = await startFaultDaemon({ containers: 3, running: 3 });
    const hostRoot = mkdtempSync(join(tmpdir(), 'da-snapshot-root-'));
    const { code, stdout, stderr } = await cli(['snapshot', '-o', '-', '-H', `unix://${daemon.socketPath}`, '--host-root', hostRoot]);
    expect(code, stderr).not.toBe(2);
    expect(containerNames(stdout)).toEqual(['/fault-0', '/fault-1', '/fault-2']);
  });
});
