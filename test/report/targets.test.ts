/**
 * Reports of several daemons: the merge (labels, the targets list, reasons per target, files
 * once) and how each format groups or labels by target. A one-daemon report is unchanged.
 */
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/pipeline.js';
import type { Report } from '../../src/engine/report.js';
import { mergeReports } from '../../src/engine/run.js';
import { formatJson } from '../../src/report/json.js';
import { formatJunit } from '../../src/report/junit.js';
import { formatSarif } from '../../src/report/sarif.js';
import { formatText } from '../../src/report/text.js';
import { snap } from '../helpers/builder.js';

const A = 'unix:///run/a.sock';
const B = 'ops';

async function reportOf(build: ReturnType<typeof snap>): Promise<Report> {
  return audit({ snapshot: build.build(), worker: 'off' });
}

async function merged(): Promise<Report> {
  const a = await reportOf(snap().container({ name: 'web', hostConfig: { Privileged: true } }));
  const b = await reportOf(snap().daemonUnavailable('cannot reach the Docker daemon at ssh://ops@h: ssh exited with code 255'));
  b.incomplete = ['cannot reach the Docker daemon at ssh://ops@h: ssh exited with code 255'];
  return mergeReports(
    [
      { label: A, summary: { address: A, name: 'host-a', version: '27.0.1', reachable: true }, report: a },
      { label: B, summary: { address: 'ssh://ops@h', context: B, reachable: false, reason: 'ssh exited with code 255' }, report: b },
    ],
    undefined,
    '0.0.0',
  );
}

describe('a report of several daemons', () => {
  it('labels every finding and problem with its target and lists the targets', async () => {
    const report = await merged();
    expect(report.targets).toEqual([
      { address: A, name: 'host-a', version: '27.0.1', reachable: true },
      { address: 'ssh://ops@h', context: B, reachable: false, reason: 'ssh exited with code 255' },
    ]);
    expect(report.findings.every((finding) => finding.target === A || finding.target === B)).toBe(true);
    expect(report.findings.find((finding) => finding.ruleId === 'DA505' && finding.subject.name === 'web')).toMatchObject({ status: 'fail', target: A });
    expect(report.findings.filter((finding) => finding.target === B).every((finding) => finding.status === 'skipped')).toBe(true);
    expect(report.incomplete).toEqual(['target ops: cannot reach the Docker daemon at ssh://ops@h: ssh exited with code 255']);
    expect(report.summary.total).toBe(report.findings.length);
    expect(JSON.parse(formatJson(report)).targets).toHaveLength(2);
  });

  it('groups the text report under one heading per target, in the order given', async () => {
    const text = formatText(await merged(), { color: false, showPassed: false });
    const a = text.indexOf(`\nTarget ${A} · Docker 27.0.1 · host-a\n`);
    const b = text.indexOf(`\nTarget ${B} · ssh://ops@h · not audited: ssh exited with code 255\n`);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    expect(text.slice(a, b)).toContain('container web');
    expect(text.slice(b)).not.toContain('container web');
  });

  it('gives JUnit one test suite per target and SARIF results that name their target', async () => {
    const report = await merged();
    const junit = formatJunit(report);
    expect([...junit.matchAll(/<testsuite name="([^"]+)"/g)].map((match) => match[1])).toEqual([`dockaudit target ${A}`, `dockaudit target ${B}`]);
    const sarif = JSON.parse(formatSarif(report)) as { runs: { properties?: { targets: unknown[] }; results: { properties: { target?: string }; locations: { logicalLocations?: { fullyQualifiedName?: string }[] }[] }[] }[] };
    const run = sarif.runs[0]!;
    expect(run.properties?.targets).toHaveLength(2);
    const web = run.results.find((result) => result.locations[0]?.logicalLocations?.[0]?.fullyQualifiedName?.startsWith(`${A}/container/`));
    expect(web?.properties.target).toBe(A);
  });

  it('heads and groups Swarm targets by their label, with the address beside it', async () => {
    const node = await reportOf(snap().container({ name: 'web', hostConfig: { Privileged: true } }));
    const report = mergeReports(
      [{ label: 'vm/kkt7ea61393g', summary: { address: '10.77.0.2', label: 'vm/kkt7ea61393g', name: 'vm', version: '20.10.24', reachable: true, node: { id: 'kkt7ea61393gx', hostname: 'vm', role: 'worker' } }, report: node }],
      undefined,
      '0.0.0',
    );
    const text = formatText(report, { color: false, showPassed: false });
    const heading = text.indexOf('\nTarget vm/kkt7ea61393g · 10.77.0.2 · Docker 20.10.24 · vm\n');
    expect(heading).toBeGreaterThan(0);
    expect(text.slice(heading)).toContain('container web');
    expect([...formatJunit(report).matchAll(/<testsuite name="([^"]+)"/g)].map((match) => match[1])).toEqual(['dockaudit target vm/kkt7ea61393g']);
  });

  it('leaves a one-daemon report as it was: no targets, no target on findings', async () => {
    const report = await reportOf(snap().container({ name: 'web', hostConfig: { Privileged: true } }));
    expect(report.targets).toBeUndefined();
    expect(report.findings.some((finding) => 'target' in finding)).toBe(false);
    expect(formatText(report, { color: false, showPassed: false })).not.toContain('\nTarget ');
    expect(formatJunit(report)).toContain('<testsuite name="dockaudit.container"');
    expect(JSON.parse(formatSarif(report)).runs[0].properties).toBeUndefined();
  });
});
