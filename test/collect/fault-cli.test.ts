/**
 * The command line against a daemon that fails part way: whatever --fail-on says, an audit that
 * left containers or sections unread exits 2 with one line on stderr and the problems in the
 * report; a container removed meanwhile stays a note. Run in-process through `run`, the CLI's
 * one exit-code boundary.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { containerId, startFaultDaemon, type FaultDaemon, type FaultDaemonOptions } from './fault-daemon.js';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

interface ReportJson {
  findings: { ruleId: string; status: string; severity: string; subject: { kind: string; name?: string } }[];
  problems: { scope: string; subject?: string; reason: string; unaudited?: boolean }[];
}

let daemon: FaultDaemon | undefined;

afterEach(async () => {
  await daemon?.close();
  daemon = undefined;
});

function collector(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

async function audit(options: FaultDaemonOptions, flags: string[] = [], configText?: string): Promise<Outcome & { report: ReportJson }> {
  daemon = await startFaultDaemon(options);
  const stdout = collector();
  const stderr = collector();
  const root = mkdtempSync(join(tmpdir(), 'da-root-'));
  if (configText !== undefined) writeFileSync(join(root, '.dockaudit.yml'), configText);
  const code = await run(['node', 'dockaudit', 'audit', '-H', daemon.address, '--host-root', root, '--format', 'json', '--fail-on', 'critical', ...flags], {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: {},
    cwd: root,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text(), report: stdout.text() ? (JSON.parse(stdout.text()) as ReportJson) : { findings: [], problems: [] } };
}

const inspectOf = (index: number): string => `/containers/${containerId(index)}/json`;

describe('dockaudit audit against a failing daemon', () => {
  it('exits 0 at --fail-on critical when every container was read and none is critical', async () => {
    const { code, stderr, report } = await audit({ containers: 3, privileged: false });
    expect(stderr).toBe('');
    expect(report.problems.filter((problem) => problem.unaudited)).toEqual([]);
    expect(code).toBe(0);
  });

  it('exits 2 at --fail-on critical when the one critical container could not be inspected', async () => {
    const { code, stderr, report } = await audit({ containers: 3, fault: (path) => (path === inspectOf(0) ? { status: 500, message: 'boom' } : undefined) });
    const reason = `not inspected: GET ${inspectOf(0)}: HTTP 500: boom`;
    expect(stderr).toBe(`dockaudit: incomplete audit of ${daemon?.address}: container fault-0: ${reason}\n`);
    expect(report.problems).toContainEqual({ scope: 'container', subject: 'fault-0', reason, unaudited: true });
    expect(report.findings.some((finding) => finding.subject.name === 'fault-0')).toBe(false);
    expect(code).toBe(2);
  });

  it('exits 2 when the daemon dies part way, on one line however many containers went unread', async () => {
    const { code, stderr, report } = await audit({ containers: 12, fault: (path) => (/^\/containers\/f([2-9]|1\d)x/.test(path) ? 'cut' : undefined) });
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(stderr).toMatch(/^dockaudit: incomplete audit of unix:\/\/.+: container fault-\d+: not inspected: .* the connection closed before the answer was complete .*\(and 9 more; all are listed in the report's problems\)\n$/);
    expect(report.problems.filter((problem) => problem.unaudited)).toHaveLength(10);
    expect(code).toBe(2);
  });

  it('exits 2 when the collection stalls past --target-timeout, counting the containers left unread', async () => {
    const { code, stderr, report } = await audit(
      { containers: 12, fault: (path) => (/^\/containers\/f([3-9]|1\d)x/.test(path) ? 'stall' : undefined) },
      ['--target-timeout', '500ms', '--concurrency', '2'],
    );
    const reason = `9 containers not inspected: the collection from ${daemon?.address} did not finish within 0.5 s`;
    expect(stderr).toBe(`dockaudit: incomplete audit of ${daemon?.address}: container: ${reason}\n`);
    expect(report.problems).toContainEqual({ scope: 'container', reason, unaudited: true });
    expect(code).toBe(2);
  });

  it('exits 2 with the container rules skipped when the container list trickles past --request-timeout', async () => {
    const { code, stderr, report } = await audit({ containers: 2, fault: (path) => (path.startsWith('/containers/json') ? 'trickle' : undefined) }, ['--request-timeout', '0.3']);
    const reason = 'could not read container data: GET /containers/json?all=true: no complete answer within 0.3 s';
    expect(stderr).toBe(`dockaudit: incomplete audit of ${daemon?.address}: container: ${reason}\n`);
    expect(report.findings.filter((finding) => finding.ruleId === 'DA505').map((finding) => finding.status)).toEqual(['skipped']);
    expect(code).toBe(2);
  });

  it('takes the request deadline from the config file, and the size cap from --max-response-bytes', async () => {
    const slow = await audit({ containers: 1, fault: (path) => (path === '/networks' ? 'trickle' : undefined) }, [], 'limits:\n  requestTimeout: 0.3\n');
    expect(slow.stderr).toContain('network: could not read network data: GET /networks: no complete answer within 0.3 s');
    expect(slow.code).toBe(2);
    await daemon?.close();
    const large = await audit({ containers: 1, fault: (path) => (path === '/volumes' ? 'endless' : undefined) }, ['--max-response-bytes', '256KiB']);
    expect(large.stderr).toContain('volume: could not read volume data: GET /volumes: response body exceeded 256 KiB');
    expect(large.code).toBe(2);
  });

  it('keeps a container removed while the audit ran a note, not a reason to exit 2', async () => {
    const { code, stderr, report } = await audit({ containers: 3, privileged: false, fault: (path) => (path === inspectOf(1) ? { status: 404, message: 'No such container' } : undefined) });
    expect(report.problems).toContainEqual({ scope: 'container', subject: 'fault-1', reason: 'removed while the audit ran' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('refuses a bound it cannot read with a usage error', async () => {
    const { code, stderr } = await audit({}, ['--request-timeout', 'soon']);
    expect(stderr).toBe('dockaudit: --request-timeout must be a duration such as 30 (seconds), 500ms or 5m, got soon\n');
    expect(code).toBe(2);
  });

  it('exits 2 from snapshot on a partial collection, and again when that snapshot is audited', async () => {
    daemon = await startFaultDaemon({ containers: 2, privileged: false, fault: (path) => (path === inspectOf(1) ? { status: 500, message: 'boom' } : undefined) });
    const root = mkdtempSync(join(tmpdir(), 'da-root-'));
    const file = join(root, 'snap.json');
    const io = () => ({ stdout: collector(), stderr: collector() });
    const first = io();
    const written = await run(['node', 'dockaudit', 'snapshot', '-o', file, '-H', daemon.address, '--host-root', root], { stdout: first.stdout.stream, stderr: first.stderr.stream, env: {}, cwd: root });
    const line = `dockaudit: incomplete audit of ${daemon.address}: container fault-1: not inspected: GET ${inspectOf(1)}: HTTP 500: boom\n`;
    expect(first.stderr.text()).toBe(line);
    expect(written).toBe(2);
    expect((JSON.parse(readFileSync(file, 'utf8')) as ReportJson).problems).toContainEqual(expect.objectContaining({ subject: 'fault-1', unaudited: true }));
    const second = io();
    const audited = await run(['node', 'dockaudit', 'audit', '--snapshot', file, '--format', 'json', '--fail-on', 'critical'], { stdout: second.stdout.stream, stderr: second.stderr.stream, env: {}, cwd: root });
    expect(second.stderr.text()).toBe(line);
    expect(audited).toBe(2);
  });
});

const IMAGE_ID = 'sha256:'.padEnd(71, '1');
const imagePath = (reference: string, what: string): string => `/images/${reference}/${what}`;

async function scan(options: FaultDaemonOptions, args: string[]): Promise<Outcome & { seconds: number }> {
  daemon = await startFaultDaemon(options);
  const stdout = collector();
  const stderr = collector();
  const root = mkdtempSync(join(tmpdir(), 'da-root-'));
  const started = performance.now();
  const code = await run(['node', 'dockaudit', ...args, '-H', daemon.address, '--no-cache', '--format', 'json'], { stdout: stdout.stream, stderr: stderr.stream, env: {}, cwd: root });
  return { code, stdout: stdout.text(), stderr: stderr.text(), seconds: (performance.now() - started) / 1000 };
}

describe('image scans against a failing daemon obey the request bounds and one deadline', () => {
  it('dockaudit image: an inspect that trickles fails at --request-timeout with exit 2', async () => {
    const { code, stderr, seconds } = await scan({ fault: (path) => (path === imagePath('fault-image', 'json') ? 'trickle' : undefined) }, ['image', 'fault-image', '--request-timeout', '0.3']);
    expect(stderr).toBe(`dockaudit: cannot inspect image fault-image: GET ${imagePath('fault-image', 'json')}: no complete answer within 0.3 s\n`);
    expect(code).toBe(2);
    // The default deadline of a call is 30 s; the trickled answer would take ten minutes.
    expect(seconds).toBeLessThan(10);
  });

  it('dockaudit image: an inspect larger than --max-response-bytes fails with exit 2', async () => {
    const { code, stderr } = await scan({ fault: (path) => (path === imagePath('fault-image', 'json') ? 'endless' : undefined) }, ['image', 'fault-image', '--max-response-bytes', '256KiB']);
    expect(stderr).toMatch(/^dockaudit: cannot inspect image fault-image: GET \/images\/fault-image\/json: .*256 KiB/);
    expect(code).toBe(2);
  });

  it('dockaudit image: an export that stalls ends at --target-timeout with exit 2', async () => {
    const { code, stderr, seconds } = await scan({ fault: (path) => (path.endsWith('/get') ? 'stall' : undefined) }, ['image', 'fault-image', '--target-timeout', '500ms']);
    expect(stderr).toContain(`the image scans from ${daemon?.address} did not finish within 0.5 s`);
    expect(code).toBe(2);
    expect(seconds).toBeLessThan(10);
  });

  it('audit --images: an image whose inspect trickles past --request-timeout is unaudited, and the audit exits 2', async () => {
    const { code, stderr, stdout } = await scan(
      { containers: 1, privileged: false, fault: (path) => (path === imagePath(IMAGE_ID, 'json') ? 'trickle' : undefined) },
      ['audit', '--images', '--request-timeout', '0.3', '--host-root', mkdtempSync(join(tmpdir(), 'da-root-'))],
    );
    const reason = `could not scan the image's layers: cannot inspect image ${IMAGE_ID}: GET ${imagePath(IMAGE_ID, 'json')}: no complete answer within 0.3 s`;
    expect((JSON.parse(stdout) as ReportJson).problems).toContainEqual({ scope: 'image', subject: 'busybox:1', reason, unaudited: true });
    expect(stderr).toBe(`dockaudit: incomplete audit of ${daemon?.address}: image busybox:1: ${reason}\n`);
    expect(code).toBe(2);
  });

  it('audit --images: an export that stalls ends at --target-timeout, and the audit exits 2', async () => {
    const { code, stderr, seconds } = await scan(
      { containers: 1, privileged: false, fault: (path) => (path.endsWith('/get') ? 'stall' : undefined) },
      ['audit', '--images', '--target-timeout', '1', '--host-root', mkdtempSync(join(tmpdir(), 'da-root-'))],
    );
    expect(stderr).toContain(`the image scans from ${daemon?.address} did not finish within 1 s`);
    expect(code).toBe(2);
    expect(seconds).toBeLessThan(10);
  });
});
