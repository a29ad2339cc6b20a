/**
 * The CLI contract against the real daemon: report shape, --output, exit codes, one-line
 * errors, config suppressions, and snapshot round trips.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditToFile, C, listRules, liveAudit, runCli, SCENARIO_NAMES, scenarioSnapshot, scratchDir, STABLE_NAMES, type ReportFinding, type ReportJson } from './scenario.js';

/** One comparable line per finding. */
function keyOf(finding: ReportFinding): string {
  return [finding.ruleId, finding.status, finding.subject.kind, finding.subject.name ?? '', finding.messageId, finding.message].join(' | ');
}

/** Scenario containers with a healthcheck: each check is a short exec session inside them. */
const HEALTHCHECKED = new Set(Object.values(C).filter((entry) => entry.waitFor === 'healthy' || entry.waitFor === 'unhealthy').map((entry) => entry.name));

/**
 * Findings about the daemon and the scenario containers: what no other process changes meanwhile.
 * Daemon findings are compared without their message: some name exec sessions open at that
 * moment, and healthchecks run as short exec sessions. So are those of a container with a
 * healthcheck: while a check runs, its command and `runc init` are among the container's
 * processes, which some messages count or quote.
 */
function stableKeys(report: ReportJson): string[] {
  const names = new Set(STABLE_NAMES);
  return report.findings
    .filter((finding) => finding.subject.kind === 'daemon' || names.has(finding.subject.name ?? ''))
    .map((finding) => (finding.subject.kind === 'daemon' || HEALTHCHECKED.has(finding.subject.name ?? '') ? keyOf({ ...finding, message: '' }) : keyOf(finding)))
    .sort();
}

/** Asserts two reports agree on their stable findings, printing only the differences. */
function expectSameFindings(actual: ReportJson, expected: ReportJson): void {
  const actualKeys = stableKeys(actual);
  const expectedKeys = stableKeys(expected);
  const missing = expectedKeys.filter((key) => !actualKeys.includes(key));
  const extra = actualKeys.filter((key) => !expectedKeys.includes(key));
  expect(missing.map((key) => `missing: ${key}`).join('\n')).toBe('');
  expect(extra.map((key) => `extra: ${key}`).join('\n')).toBe('');
  expect(actualKeys.length).toBe(expectedKeys.length);
}

function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  expect(lines, `stderr: ${stderr}`).toHaveLength(1);
  return lines[0]!;
}

describe('dockaudit audit against the scenario', () => {
  it('writes the JSON report to --output, prints nothing on stdout and exits 1 (default --fail-on)', async () => {
    const { result, report } = await liveAudit();
    expect(result.stdout).toBe('');
    expect(result.code, result.stderr).toBe(1);
    expect(report.schemaVersion).toBe(1);
    expect(report.tool.name).toBe('dockaudit');
    expect(report.summary.total).toBe(report.findings.length);
    expect(report.summary.byStatus['fail']).toBeGreaterThan(0);
  });

  it('gives every finding the public fields, and no rule errors on real data', async () => {
    const { report } = await liveAudit();
    for (const finding of report.findings) {
      expect(finding.ruleId).toMatch(/^DA\d{3}$/);
      expect(finding.alias).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(['pass', 'fail', 'warn', 'info', 'manual', 'skipped', 'error']).toContain(finding.status);
      expect(['critical', 'high', 'medium', 'low', 'info']).toContain(finding.severity);
      expect(finding.references.cis).toBeInstanceOf(Array);
      expect(finding.references.checklist).toBeInstanceOf(Array);
      expect(finding.subject.kind).toBeTruthy();
      expect(finding.message).not.toMatch(/\{\{\w+\}\}/);
      expect(finding.messageId).toBeTruthy();
    }
    const errors = report.findings.filter((finding) => finding.status === 'error').map(keyOf);
    expect(errors).toEqual([]);
  });

  it('evaluates every per-container rule on every scenario container, names without the leading slash', async () => {
    const [{ report }, rules] = await Promise.all([liveAudit(), listRules()]);
    const containerFamily = new Set(rules.filter((rule) => rule.family === 'container').map((rule) => rule.id));
    // Container-family rules that report per container (a few report once, on the daemon). Rules of
    // other families may report only the containers they concern (DA160: reachable ports).
    const perContainer = [
      ...new Set(
        report.findings.filter((finding) => finding.subject.kind === 'container' && containerFamily.has(finding.ruleId)).map((finding) => finding.ruleId),
      ),
    ];
    expect(perContainer.length).toBeGreaterThan(10);
    const slashed = report.findings.filter((finding) => finding.subject.kind === 'container' && finding.subject.name?.startsWith('/'));
    expect(slashed.map(keyOf)).toEqual([]);
    const missing: string[] = [];
    for (const name of SCENARIO_NAMES) {
      for (const ruleId of perContainer) {
        const found = report.findings.some((finding) => finding.ruleId === ruleId && finding.subject.name === name);
        if (!found) missing.push(`${ruleId} ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('prints on stdout without --output the same report it writes with --output', async () => {
    const snapshot = await scenarioSnapshot();
    const [written, printed] = await Promise.all([auditToFile(['--snapshot', snapshot]), runCli(['--snapshot', snapshot, '--format', 'json'])]);
    expect(written.result.code, written.result.stderr).toBe(1);
    expect(printed.code, printed.stderr).toBe(1);
    expect(printed.stdout).toBe(readFileSync(written.file, 'utf8'));
  });

  it('fails on critical findings with --fail-on critical (the privileged container)', async () => {
    const snapshot = await scenarioSnapshot();
    const { result, report } = await auditToFile(['--snapshot', snapshot, '--fail-on', 'critical']);
    expect(result.code, result.stderr).toBe(1);
    const critical = report.findings.filter((finding) => finding.status === 'fail' && finding.severity === 'critical');
    expect(critical.map((finding) => finding.subject.name)).toContain(C.privileged.name);
  });

  it('exits 0 when a config file ignores every failing finding, and marks them suppressed', async () => {
    const snapshot = await scenarioSnapshot();
    const { report } = await auditToFile(['--snapshot', snapshot]);
    const failing = report.findings.filter((finding) => finding.status === 'fail');
    const ignore = [...new Set(failing.map((finding) => finding.ruleId))].map((rule) => ({ rule, reason: 'integration test' }));
    const config = join(scratchDir(), 'dockaudit.json');
    writeFileSync(config, JSON.stringify({ failOn: 'low', ignore }));
    const { result, report: suppressedReport } = await auditToFile(['--snapshot', snapshot, '--config', config]);
    expect(result.code, result.stderr).toBe(0);
    const stillFailing = suppressedReport.findings.filter((finding) => finding.status === 'fail');
    expect(stillFailing.length).toBe(failing.length);
    expect(stillFailing.filter((finding) => !finding.suppressed).map(keyOf)).toEqual([]);
    expect(suppressedReport.findings.filter((finding) => finding.suppressed).every((finding) => finding.suppressed?.reason === 'integration test')).toBe(true);
    expect(Object.values(suppressedReport.summary.failuresBySeverity).every((count) => count === 0)).toBe(true);
  });

  it('picks up .dockaudit.yml from the working directory and applies rule options (DA555 maxRestarts)', async () => {
    const snapshot = await scenarioSnapshot();
    const dir = scratchDir();
    writeFileSync(join(dir, '.dockaudit.yml'), 'rules:\n  container-restart-storm:\n    options:\n      maxRestarts: 1\n');
    const result = await runCli(['--snapshot', snapshot, '--format', 'json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as ReportJson;
    const statusOf = (name: string) =>
      report.findings.filter((finding) => finding.ruleId === 'DA555' && finding.subject.name === name).map((finding) => `${finding.status} ${finding.messageId}`);
    expect(statusOf(C.restartLoop.name)).toEqual(['warn restartStorm']);
    expect(statusOf(C.plain.name)).toEqual(['pass stable']);
  });

  it('exits 2 with a config file that does not match the schema', async () => {
    const config = join(scratchDir(), 'bad.yml');
    writeFileSync(config, 'failOn: sometimes\n');
    const result = await runCli(['--snapshot', await scenarioSnapshot(), '--format', 'json', '--output', '/dev/null', '--config', config]);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toContain(config);
  });
});

describe('dockaudit when the daemon cannot be reached', () => {
  it('exits 2 with one line on stderr naming the address (--host)', async () => {
    const result = await runCli(['--format', 'json', '--output', join(scratchDir(), 'r.json'), '--host', 'unix:///nonexistent.sock']);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toContain('unix:///nonexistent.sock');
  });

  it('exits 2 with one line on stderr naming the address (DOCKER_HOST)', async () => {
    const result = await runCli(['--format', 'json', '--output', '/dev/null'], { env: { DOCKER_HOST: 'unix:///nonexistent.sock' } });
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toContain('unix:///nonexistent.sock');
  });

  it('snapshot exits 2 too', async () => {
    const result = await runCli(['snapshot', '-o', join(scratchDir(), 's.json'), '--host', 'unix:///nonexistent.sock']);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toContain('unix:///nonexistent.sock');
  });
});

describe('dockaudit snapshot and audit --snapshot', () => {
  it('audits a snapshot to the same findings as the live daemon', async () => {
    const [{ report: liveReport }, snapshot] = await Promise.all([liveAudit(), scenarioSnapshot()]);
    const { result, report: snapshotReport } = await auditToFile(['--snapshot', snapshot]);
    expect(result.code, result.stderr).toBe(1);
    expect(snapshotReport.target.dockerHost).toBe(liveReport.target.dockerHost);
    expectSameFindings(snapshotReport, liveReport);
    expect(stableKeys(snapshotReport).length).toBeGreaterThan(STABLE_NAMES.length);
    // It holds environment values and build histories: its owner alone may read it.
    expect(statSync(snapshot).mode & 0o777).toBe(0o600);
  });

  it('exits 2 with one line for a snapshot that is not JSON', async () => {
    const file = join(scratchDir(), 'broken.json');
    writeFileSync(file, '{"schemaVersion": 1, "containers": [');
    const result = await runCli(['audit', '--snapshot', file, '--format', 'json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(oneLine(result.stderr)).toContain(file);
  });

  it('exits 2 with one line for JSON that is not a snapshot', async () => {
    const file = join(scratchDir(), 'other.json');
    writeFileSync(file, JSON.stringify({ hello: 'world' }));
    const result = await runCli(['audit', '--snapshot', file, '--format', 'json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    oneLine(result.stderr);
  });
});
