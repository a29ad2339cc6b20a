/**
 * The built CLI against a stand-in daemon that misbehaves (see test/collect/fault-daemon.ts):
 * answers that trickle or never end fail within the bounds given by the flags, a collection
 * cut part way exits 2 whatever --fail-on says, and a reader that closes the pipe early ends the
 * output without a stack trace. Needs no Docker; the daemon is a unix socket in a temp dir.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { containerId, startFaultDaemon, type FaultDaemon, type FaultDaemonOptions } from '../collect/fault-daemon.js';
import { CLI, runCli, scratchDir } from './scenario.js';

let daemon: FaultDaemon | undefined;

afterEach(async () => {
  await daemon?.close();
  daemon = undefined;
});

async function auditFaulty(options: FaultDaemonOptions, flags: string[]) {
  daemon = await startFaultDaemon(options);
  const root = scratchDir();
  const output = join(root, 'report.json');
  const result = await runCli(['audit', '-H', daemon.address, '--host-root', root, '--format', 'json', '-o', output, ...flags], { cwd: root });
  return { ...result, report: JSON.parse(readFileSync(output, 'utf8')) as { problems: { scope: string; subject?: string; reason: string; unaudited?: boolean }[] } };
}

describe('dockaudit against a misbehaving daemon', () => {
  it('gives up on an answer trickling in at --request-timeout and exits 2 with one line', async () => {
    const { code, stderr } = await auditFaulty({ fault: (path) => (path === '/info' ? 'trickle' : undefined), trickleMs: 20 }, ['--request-timeout', '1']);
    expect(stderr).toBe('dockaudit: could not read daemon data: GET /info: no complete answer within 1 s\n');
    expect(code).toBe(2);
  });

  it('stops reading an answer that never ends at --max-response-bytes', async () => {
    const { code, stderr, report } = await auditFaulty({ containers: 1, fault: (path) => (path.startsWith('/containers/json') ? 'endless' : undefined) }, ['--max-response-bytes', '1MiB']);
    const reason = 'could not read container data: GET /containers/json?all=true: response body exceeded 1 MiB';
    expect(stderr).toBe(`dockaudit: incomplete audit of ${daemon?.address}: container: ${reason}\n`);
    expect(report.problems).toContainEqual({ scope: 'container', reason, unaudited: true });
    expect(code).toBe(2);
  });

  it('exits 2 at --fail-on critical when the critical container failed to be inspected', async () => {
    const failing = `/containers/${containerId(0)}/json`;
    const { code, stderr, report } = await auditFaulty({ containers: 3, fault: (path) => (path === failing ? { status: 500, message: 'boom' } : undefined) }, ['--fail-on', 'critical']);
    expect(stderr).toBe(`dockaudit: incomplete audit of ${daemon?.address}: container fault-0: not inspected: GET ${failing}: HTTP 500: boom\n`);
    expect(report.problems.filter((problem) => problem.unaudited)).toHaveLength(1);
    expect(code).toBe(2);
  });

  it('ends quietly when the reader of stdout goes away (dockaudit audit | head -1)', async () => {
    // 300 containers make a report far larger than a pipe's buffer.
    daemon = await startFaultDaemon({ containers: 300 });
    const root = scratchDir();
    const script = `node "$0" audit -H "$1" --host-root "$2" 2>"$2/stderr" | head -1; echo "\${PIPESTATUS[0]}" >"$2/code"`;
    const firstLine = await new Promise<string>((resolve, reject) => {
      const child = spawn('bash', ['-c', script, CLI, daemon!.address, root], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(stdout));
    });
    expect(firstLine).toMatch(/^dockaudit \S+ · unix:\/\/.+\n$/);
    expect(readFileSync(join(root, 'stderr'), 'utf8')).toBe('');
    // The audit's own answer: findings at or above low.
    expect(readFileSync(join(root, 'code'), 'utf8').trim()).toBe('1');
  });
});
