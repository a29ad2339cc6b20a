/**
 * Several daemons in one run, with the built CLI: the main daemon, a second dockerd of a different
 * configuration started here (--live-restore, one privileged container of its own), the main daemon
 * again through a real sshd and `docker system dial-stdio`, a Docker CLI context, a daemon that is
 * not there and one that never answers.
 */
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextId } from '../../src/collect/contexts.js';
import { startFaultDaemon } from '../collect/fault-daemon.js';
import { startSecondDaemon, startSshServer, type SecondDaemon, type SshServer } from './daemons.js';
import { IMAGES, runCli, scratchDir, type ReportFinding } from './scenario.js';

const MAIN = 'unix:///var/run/docker.sock';

interface TargetEntry {
  address: string;
  context?: string;
  name?: string;
  version?: string;
  reachable: boolean;
  reason?: string;
}

interface MultiReport {
  target: { dockerHost: string };
  targets?: TargetEntry[];
  findings: (ReportFinding & { target?: string; family: string })[];
  problems: { target?: string }[];
  incomplete?: string[];
}

let second!: SecondDaemon;
let ssh!: SshServer;
const privileged = `da-targets-priv-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  // One after the other, so that one failing to start leaves the other assigned and stopped after.
  ssh = await startSshServer();
  second = await startSecondDaemon(['--live-restore']);
  // No registry: the test image goes from the main daemon to the second one.
  second.docker(['load'], execFileSync('docker', ['save', IMAGES.busybox], { maxBuffer: 256 * 1024 * 1024 }));
  second.docker(['create', '--name', privileged, '--privileged', IMAGES.busybox, 'sleep', '600']);
});

afterAll(async () => {
  await Promise.all([second?.stop(), ssh?.stop()]);
});

async function auditJson(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string; report: MultiReport }> {
  const output = join(scratchDir(), 'report.json');
  const result = await runCli(['audit', '--format', 'json', '-o', output, ...args], { env: { DOCKER_HOST: '', ...env } });
  let report: MultiReport;
  try {
    report = JSON.parse(readFileSync(output, 'utf8')) as MultiReport;
  } catch {
    throw new Error(`no report (exit ${result.code}): ${result.stderr}`);
  }
  return { code: result.code, stderr: result.stderr, report };
}

function finding(report: MultiReport, ruleId: string, target: string, name?: string): ReportFinding & { target?: string } {
  const found = report.findings.find((entry) => entry.ruleId === ruleId && entry.target === target && (name === undefined || entry.subject.name === name));
  if (found === undefined) throw new Error(`no ${ruleId} finding${name ? ` about ${name}` : ''} for ${target}`);
  return found;
}

describe('audit of several daemons', () => {
  it('audits two --host daemons into one report, each finding naming its daemon', async () => {
    const { code, report } = await auditJson(['-H', MAIN, '-H', second.address]);
    expect(code).toBe(1);
    expect(report.targets).toEqual([
      { address: MAIN, name: expect.any(String), version: expect.any(String), reachable: true },
      { address: second.address, name: expect.any(String), version: expect.any(String), reachable: true },
    ]);
    expect(report.findings.every((entry) => entry.target === MAIN || entry.target === second.address)).toBe(true);
    // The second daemon runs with --live-restore; the main one with the default.
    expect(finding(report, 'DA215', second.address)).toMatchObject({ status: 'pass', messageId: 'enabled' });
    expect(finding(report, 'DA215', MAIN).messageId).not.toBe('enabled');
    // The privileged container is on the second daemon only.
    expect(finding(report, 'DA505', second.address, privileged)).toMatchObject({ status: 'fail' });
    expect(report.findings.some((entry) => entry.subject.name === privileged && entry.target === MAIN)).toBe(false);
  });

  it('groups the text report under a heading per daemon', async () => {
    const { code, stdout } = await runCli(['audit', '-H', MAIN, '-H', second.address], { env: { DOCKER_HOST: '' } });
    expect(code).toBe(1);
    const headings = stdout.split('\n').filter((line) => line.startsWith('Target '));
    expect(headings).toEqual([expect.stringMatching(/^Target unix:\/\/\/var\/run\/docker\.sock · Docker \S+ · \S+$/), expect.stringMatching(new RegExp(`^Target ${second.address} · Docker `))]);
    const secondPart = stdout.slice(stdout.indexOf(`Target ${second.address}`));
    const mainPart = stdout.slice(stdout.indexOf(`Target ${MAIN}`), stdout.indexOf(`Target ${second.address}`));
    expect(secondPart).toContain(`container ${privileged}`);
    expect(mainPart).not.toContain(privileged);
    expect(mainPart).toContain('Docker daemon configuration');
  });

  it('reports a daemon that is not there as such, audits the others in full and exits 2', async () => {
    const missing = `unix://${join(scratchDir(), 'absent.sock')}`;
    const { code, stderr, report } = await auditJson(['-H', second.address, '-H', missing]);
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`^dockaudit: target ${missing}: cannot reach the Docker daemon at ${missing}: connect ENOENT`));
    expect(report.targets?.[1]).toMatchObject({ address: missing, reachable: false, reason: expect.stringContaining('cannot reach the Docker daemon') });
    const ofMissing = report.findings.filter((entry) => entry.target === missing);
    expect(ofMissing.length).toBeGreaterThan(0);
    expect(ofMissing.every((entry) => entry.status === 'skipped')).toBe(true);
    expect(finding(report, 'DA505', second.address, privileged).status).toBe('fail');
    expect(finding(report, 'DA215', second.address).status).toBe('pass');
  });

  it('gives up on a daemon that accepts the connection and never answers, with one clear line', async () => {
    const silent = await startFaultDaemon({ fault: () => 'stall' });
    try {
      const { code, stderr, report } = await auditJson(['-H', second.address, '-H', silent.address, '--request-timeout', '1']);
      expect(code).toBe(2);
      expect(stderr).toBe(`dockaudit: target ${silent.address}: cannot reach the Docker daemon at ${silent.address}: GET /_ping: no complete answer within 1 s\n`);
      expect(report.targets?.[1]).toMatchObject({ reachable: false });
      expect(finding(report, 'DA215', second.address).status).toBe('pass');
    } finally {
      await silent.close();
    }
  });

  it('reads a Docker CLI context from DOCKER_CONFIG, by --context and as the current context', async () => {
    const config = scratchDir();
    const name = 'da-second';
    mkdirSync(join(config, 'contexts', 'meta', contextId(name)), { recursive: true });
    writeFileSync(
      join(config, 'contexts', 'meta', contextId(name), 'meta.json'),
      JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: second.address, SkipTLSVerify: false } } }),
    );
    const both = await auditJson(['-H', MAIN, '--context', name], { DOCKER_CONFIG: config });
    expect(both.report.targets?.[1]).toMatchObject({ address: second.address, context: name, reachable: true });
    expect(finding(both.report, 'DA505', name, privileged).status).toBe('fail');
    // `docker context use da-second`: the default target of a plain audit, a one-daemon report.
    writeFileSync(join(config, 'config.json'), JSON.stringify({ currentContext: name }));
    const current = await auditJson([], { DOCKER_CONFIG: config });
    expect(current.report.target.dockerHost).toBe(second.address);
    expect(current.report.targets).toBeUndefined();
    expect(current.report.findings.find((entry) => entry.ruleId === 'DA505' && entry.subject.name === privileged)?.target).toBeUndefined();
  });

  it('reaches a daemon over ssh:// with docker system dial-stdio, beside a local one', async () => {
    const path = `${ssh.binDirectory}:${process.env['PATH'] ?? ''}`;
    const { code, report, stderr } = await auditJson(['-H', ssh.address, '-H', second.address], { PATH: path });
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const [overSsh] = report.targets ?? [];
    const local = JSON.parse(execFileSync('docker', ['-H', MAIN, 'info', '--format', '{{json .Name}}'], { encoding: 'utf8' })) as string;
    expect(overSsh).toEqual({ address: ssh.address, name: local, version: expect.any(String), reachable: true });
    expect(finding(report, 'DA215', ssh.address).messageId).not.toBe('enabled');
    expect(report.findings.filter((entry) => entry.target === ssh.address && entry.family === 'container').length).toBeGreaterThan(0);
    // No ssh process is left behind (the far side's dial-stdio ends as its connection closes).
    const lingering = (): boolean => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').some((line) => line.startsWith('ssh ') && line.includes('dial-stdio'));
    for (let tries = 0; tries < 20 && lingering(); tries += 1) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(lingering()).toBe(false);
  });
});
