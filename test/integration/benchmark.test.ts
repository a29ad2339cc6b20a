/**
 * Choosing what to check, the per-control view of the CIS benchmark and baselines, through the
 * real CLI against the scenario on a real daemon.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { C, NAME_PREFIX, runCli, scenarioSnapshot, scratchDir, type ReportJson } from './scenario.js';

interface ControlJson {
  id: string;
  status: string;
  assessment?: string;
  findings: { ruleId: string; status: string; subject: { name?: string } }[];
}

interface BenchmarkReport extends ReportJson {
  benchmark: { benchmark: string; controls: ControlJson[]; score: { score: number; checks: number; passed: number; failed: number; manual: number; percent?: number } };
  findings: (ReportJson['findings'][number] & { fingerprint: string; baseline?: string })[];
  baseline?: { new: number; unchanged: number; resolved: { ruleId: string; subject: { name?: string } }[] };
}

async function auditJson(args: string[]): Promise<{ code: number | null; stderr: string; report: BenchmarkReport }> {
  const file = join(scratchDir(), 'report.json');
  const result = await runCli(['audit', '--format', 'json', '--output', file, ...args]);
  return { code: result.code, stderr: result.stderr, report: JSON.parse(readFileSync(file, 'utf8')) as BenchmarkReport };
}

describe('--benchmark cis on the scenario', () => {
  it('gives every control one verdict in benchmark order, decided by the rules about its subject', async () => {
    const snapshot = await scenarioSnapshot();
    const { report } = await auditJson(['--snapshot', snapshot, '--benchmark', 'cis']);
    const controls = new Map(report.benchmark.controls.map((control) => [control.id, control]));
    expect(report.benchmark.controls).toHaveLength(117);
    expect(report.benchmark.controls.slice(0, 3).map((control) => control.id)).toEqual(['1.1.1', '1.1.2', '1.1.3']);
    const failing = (id: string): string[] => (controls.get(id)?.findings ?? []).filter((finding) => finding.status === 'fail').map((finding) => finding.subject.name ?? '');
    expect(controls.get('5.5')?.status).toBe('fail');
    expect(failing('5.5')).toContain(C.privileged.name);
    expect(failing('5.10')).toContain(C.hostNetwork.name);
    expect(failing('5.16')).toContain(C.hostPid.name);
    expect(failing('5.17')).toContain(C.hostIpc.name);
    expect(failing('5.21')).toContain(C.hostUts.name);
    expect(failing('5.31')).toContain(C.usernsHost.name);
    expect(failing('5.32')).toContain(C.dockerSocket.name);
    // Each verdict comes only from the rules that decide the control: DA219 never decides 2.14.
    for (const control of report.benchmark.controls) {
      for (const finding of control.findings) expect(finding.ruleId).not.toBe('DA219');
    }
    const da214 = report.findings.find((finding) => finding.ruleId === 'DA214');
    expect(controls.get('2.14')?.status).toBe(da214?.status);
    // Manual controls stay manual.
    expect(controls.get('5.9')).toMatchObject({ status: 'manual', assessment: 'manual' });
    const { score } = report.benchmark;
    expect(score.score).toBe(score.passed - score.failed);
    expect(score.checks).toBe(score.passed + score.failed + score.manual);
  });

  it('prints the text report per control, in benchmark order, with the score', async () => {
    const snapshot = await scenarioSnapshot();
    const result = await runCli(['audit', '--snapshot', snapshot, '--benchmark', 'cis']);
    const ids = result.stdout.split('\n').flatMap((line) => /^\s{2}[A-Z-]+\s+(\d+(?:\.\d+)+)\s/.exec(line)?.slice(1) ?? []);
    expect(ids).toHaveLength(117);
    expect(ids.indexOf('5.5')).toBeGreaterThan(ids.indexOf('4.12'));
    expect(result.stdout).toMatch(/^Score -?\d+ over \d+ checks/m);
  });
});

describe('selection', () => {
  it('--only and --containers narrow the audit; an unknown selector is one line and exit 2', async () => {
    const snapshot = await scenarioSnapshot();
    const { report } = await auditJson(['--snapshot', snapshot, '--only', 'cis:5.5,DA510', '--containers', `${NAME_PREFIX}host-*`, '--containers', C.privileged.name]);
    expect([...new Set(report.findings.map((finding) => finding.ruleId))].sort()).toEqual(['DA505', 'DA510']);
    expect([...new Set(report.findings.map((finding) => finding.subject.name))].sort()).toEqual(
      [C.hostIpc.name, C.hostNetwork.name, C.hostPid.name, C.hostUts.name, C.privileged.name].sort(),
    );
    const bad = await runCli(['audit', '--snapshot', snapshot, '--only', 'DA505,no-such-rule']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual(['dockaudit: unknown rule selector "no-such-rule" (--only or the config\'s only): expected a rule id or alias, a family (host, daemon, files, image, container, inventory, swarm, dockerfile, compose), cis:<section or control> or checklist:<item>']);
  });

  it('reads the same keys from .dockaudit.yml, with ignore entries for every rule of a subject', async () => {
    const snapshot = await scenarioSnapshot();
    const directory = scratchDir();
    writeFileSync(
      join(directory, '.dockaudit.yml'),
      [`only: [container]`, `excludeContainers: ["${NAME_PREFIX}*"]`, `containers: ["${NAME_PREFIX}*"]`, 'ignore:', `  - rule: '*'`, `    subject: ${C.plain.name}`, '    reason: test'].join('\n'),
    );
    const none = await runCli(['audit', '--snapshot', snapshot, '--format', 'json'], { cwd: directory });
    expect((JSON.parse(none.stdout) as ReportJson).findings.filter((finding) => finding.subject.name?.startsWith(NAME_PREFIX))).toEqual([]);
    writeFileSync(join(directory, '.dockaudit.yml'), ['only: [container]', 'ignore:', `  - rule: '*'`, `    subject: ${C.plain.name}`, '    reason: test'].join('\n'));
    const ignored = JSON.parse((await runCli(['audit', '--snapshot', snapshot, '--format', 'json'], { cwd: directory })).stdout) as ReportJson;
    const plain = ignored.findings.filter((finding) => finding.subject.name === C.plain.name);
    expect(plain.length).toBeGreaterThan(10);
    expect(plain.every((finding) => finding.suppressed?.reason === 'test')).toBe(true);
    writeFileSync(join(directory, '.dockaudit.yml'), ['ignore:', `  - rule: '*'`, '    reason: everything'].join('\n'));
    const refused = await runCli(['audit', '--snapshot', snapshot], { cwd: directory });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('must name a subject or a path');
  });
});

describe('--baseline', () => {
  it('exits 1 only for new failing findings, and refuses a file that is not a baseline', async () => {
    const snapshot = await scenarioSnapshot();
    const first = await auditJson(['--snapshot', snapshot, '--only', 'container']);
    expect(first.code).toBe(1);
    const baselineFile = join(scratchDir(), 'baseline.json');
    writeFileSync(baselineFile, JSON.stringify(first.report));
    const again = await auditJson(['--snapshot', snapshot, '--only', 'container', '--baseline', baselineFile]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.report.findings.every((finding) => finding.baseline === 'unchanged')).toBe(true);
    expect(again.report.baseline).toMatchObject({ new: 0, resolved: [] });

    // The baseline without the privileged container's findings: those are new again, and fail.
    const trimmed = { ...first.report, findings: first.report.findings.filter((finding) => finding.subject.name !== C.privileged.name) };
    writeFileSync(baselineFile, JSON.stringify(trimmed));
    const withNew = await auditJson(['--snapshot', snapshot, '--only', 'container', '--baseline', baselineFile]);
    expect(withNew.code).toBe(1);
    expect(new Set(withNew.report.findings.filter((finding) => finding.baseline === 'new').map((finding) => finding.subject.name))).toEqual(new Set([C.privileged.name]));

    for (const [content, message] of [
      ['{"findings": []}', 'is not a dockaudit JSON report'],
      ['<sarif/>', 'is not JSON'],
    ] as const) {
      writeFileSync(baselineFile, content);
      const refused = await runCli(['audit', '--snapshot', snapshot, '--baseline', baselineFile]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(message);
      expect(refused.stdout).toBe('');
    }
  });
});
