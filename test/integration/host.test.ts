/**
 * Host controls on the real machine: a live audit rule loaded with auditctl is seen, and a run
 * as an unprivileged member of the docker group reports what it cannot see as `skipped`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditToFile, type ReportFinding, type ReportJson } from './scenario.js';

const ROOT = join(import.meta.dirname, '..', '..');
const AUDIT_KEY = 'dockaudit-it';
const WATCHED = '/etc/docker';

function auditctl(args: string[]): string {
  return execFileSync('auditctl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function find(report: ReportJson, ruleId: string, name: string): ReportFinding | undefined {
  return report.findings.find((finding) => finding.ruleId === ruleId && finding.subject.name === name);
}

describe('audit rules on the real host', () => {
  beforeAll(() => {
    // Loaded in the kernel only: no rule file holds it, so it would be lost at reboot.
    auditctl(['-w', WATCHED, '-p', 'wa', '-k', AUDIT_KEY]);
  });
  afterAll(() => {
    try {
      auditctl(['-W', WATCHED, '-p', 'wa', '-k', AUDIT_KEY]);
    } catch {
      // Already gone.
    }
  });

  it('sees a live rule on /etc/docker and says it is not persistent; a path without a rule fails', async () => {
    const { report } = await auditToFile();
    expect(find(report, 'DA104', WATCHED)).toMatchObject({ status: 'warn', messageId: 'notPersistent' });
    const dockerd = report.findings.find((finding) => finding.ruleId === 'DA103' && finding.subject.name?.endsWith('/dockerd'));
    expect(dockerd).toMatchObject({ status: 'fail', messageId: 'notAudited' });
  });
});

interface CliRun {
  code: number | null;
  stderr: string;
}

/** Runs the CLI as `nobody` with the docker group, as a non-root administrator would. */
function runAsNobody(args: string[]): Promise<CliRun> {
  const dockerGid = Number.parseInt(execFileSync('getent', ['group', 'docker'], { encoding: 'utf8' }).split(':')[2] ?? '', 10);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/dockaudit'), ...args], {
      cwd: tmpdir(),
      uid: 65534,
      gid: dockerGid,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: '/nonexistent', NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a run without root', () => {
  let report: ReportJson;
  let run: CliRun;
  beforeAll(async () => {
    const directory = mkdtempSync(join(tmpdir(), 'dockaudit-nonroot-'));
    chmodSync(directory, 0o777);
    const output = join(directory, 'report.json');
    run = await runAsNobody(['audit', '--format', 'json', '--output', output]);
    if (!existsSync(output)) throw new Error(`no report written (exit ${run.code}): ${run.stderr}`);
    report = JSON.parse(readFileSync(output, 'utf8')) as ReportJson;
  });

  it('still audits the daemon through the socket', () => {
    expect(run.code).toBe(1);
    expect(report.findings.some((finding) => finding.ruleId === 'DA505' && finding.status === 'fail')).toBe(true);
  });

  it('reports the audit rules it cannot read as skipped with the reason, never as pass', () => {
    const auditFindings = report.findings.filter((finding) => ['DA103', 'DA104', 'DA105', 'DA108', 'DA109'].includes(finding.ruleId));
    expect(auditFindings.length).toBeGreaterThan(0);
    expect(auditFindings.filter((finding) => finding.status === 'pass')).toEqual([]);
    expect(auditFindings.some((finding) => finding.status === 'skipped' && finding.messageId === 'notVisible')).toBe(true);
  });

  it('lists the parts of the host it could not see', () => {
    const problems = report.problems as { scope: string; reason: string }[];
    expect(problems.length).toBeGreaterThan(0);
  });
});
