import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/pipeline.js';
import { nodeFindings, nodeLabels, parseNodeReport, swarmNodeConfig, swarmNodeLines } from '../../src/audit/swarm.js';
import { unframeReport } from '../../src/collect/swarm-frames.js';
import { mergeReports } from '../../src/engine/run.js';
import { formatHtml } from '../../src/report/html.js';
import { formatJson } from '../../src/report/json.js';
import { formatJunit } from '../../src/report/junit.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { formatSarif } from '../../src/report/sarif.js';
import { formatText } from '../../src/report/text.js';
import { snap } from '../helpers/builder.js';

describe("a Swarm node's report", () => {
  it('comes back whole through its framed lines', async () => {
    const report = await audit({ snapshot: snap().container({ name: 'web', hostConfig: { Privileged: true } }).build(), worker: 'off' });
    const lines = await swarmNodeLines(report, 'run7');
    const back = unframeReport(lines.join('\n'), 'run7', 64 * 1024 * 1024);
    expect('report' in back && parseNodeReport(back.report)).toEqual(JSON.parse(formatJson(report)));
  });

  it('is refused when it is not a dockaudit report of this schema, or its findings are malformed', () => {
    expect(() => parseNodeReport('null')).toThrow('not a dockaudit report of schema 1');
    expect(() => parseNodeReport('{"schemaVersion":2}')).toThrow('not a dockaudit report of schema 1');
    const base = { schemaVersion: 1, summary: { rules: 1 }, problems: [] };
    const finding = {
      ruleId: 'DA505',
      alias: 'privileged-container',
      title: 'Privileged container',
      family: 'container',
      references: { cis: ['5.4'], checklist: [] },
      message: 'm',
      messageId: 'privileged',
      status: 'fail',
      severity: 'critical',
      subject: { kind: 'container', name: 'web' },
    };
    expect(parseNodeReport(JSON.stringify({ ...base, findings: [finding] })).findings).toHaveLength(1);
    expect(() => parseNodeReport(JSON.stringify({ ...base, findings: [{ ...finding, status: 'fine' }] }))).toThrow('its findings are malformed');
    expect(() => parseNodeReport(JSON.stringify({ ...base, findings: [{ ...finding, subject: null }] }))).toThrow('its findings are malformed');
    expect(() => parseNodeReport(JSON.stringify({ ...base, findings: [], incomplete: [1] }))).toThrow('its incomplete reasons are malformed');
  });

  it('is refused when any field a report format reads has the wrong type, so a node cannot break the merged report', async () => {
    const report = await audit({ snapshot: snap().container({ name: 'web', hostConfig: { Privileged: true } }).build(), worker: 'off' });
    const good = JSON.parse(formatJson(report)) as Record<string, unknown> & { findings: Record<string, unknown>[] };
    const first = good.findings.find((finding) => finding['status'] === 'fail') as Record<string, unknown>;
    const withFinding = (change: Record<string, unknown>): string => JSON.stringify({ ...good, findings: [{ ...first, ...change }] });
    for (const change of [
      { title: undefined },
      { title: 7 },
      { alias: null },
      { family: 'made-up' },
      { references: undefined },
      { references: { cis: [1], checklist: [] } },
      { subject: { kind: 'container', name: { toString: 1 } } },
      { subject: { kind: 'spaceship', name: 'web' } },
      { location: { file: 'Dockerfile', line: '3' } },
      { remediation: ['x'] },
      { suppressed: { reason: 5 } },
      { notListed: -1 },
    ]) {
      expect(() => parseNodeReport(withFinding(change)), JSON.stringify(change)).toThrow('its findings are malformed');
    }
    for (const problem of [null, 'text', { scope: 'host', reason: { a: 1 } }, { scope: 'elsewhere', reason: 'r' }, { scope: 'container', subject: 3, reason: 'r' }, { scope: 'host', reason: 'r', unaudited: 'yes' }]) {
      expect(() => parseNodeReport(JSON.stringify({ ...good, problems: [problem] })), JSON.stringify(problem)).toThrow('its summary or problems are malformed');
    }
    expect(() => parseNodeReport(JSON.stringify({ ...good, summary: { rules: -1 } }))).toThrow('its summary or problems are malformed');
    expect(() => parseNodeReport(JSON.stringify({ ...good, target: { daemonVersion: { v: 1 } } }))).toThrow('its target is malformed');
  });

  it('keeps only the fields of a report: what a node adds of its own is dropped, a target it names for a finding included', async () => {
    const report = await audit({ snapshot: snap().container({ name: 'web', hostConfig: { Privileged: true } }).build(), worker: 'off' });
    const good = JSON.parse(formatJson(report)) as Record<string, unknown> & { findings: Record<string, unknown>[]; problems: unknown[] };
    const forged = {
      ...good,
      targets: [{ address: 'elsewhere', reachable: true }],
      extra: 'x'.repeat(10),
      findings: good.findings.map((finding) => ({ ...finding, target: 'another-node', injected: { deep: true } })),
      problems: [{ scope: 'host', reason: 'r', target: 'another-node', injected: 1 }],
    };
    const parsed = parseNodeReport(JSON.stringify(forged)) as unknown as Record<string, unknown> & { findings: Record<string, unknown>[]; problems: Record<string, unknown>[] };
    expect(parsed['targets']).toBeUndefined();
    expect(parsed['extra']).toBeUndefined();
    expect(parsed.findings.every((finding) => finding['target'] === undefined && finding['injected'] === undefined)).toBe(true);
    expect(parsed.problems).toEqual([{ scope: 'host', reason: 'r' }]);
    expect(parsed.findings).toEqual(good.findings);
  });

  it("keeps a finding's structured details and fingerprint, and refuses details that are not an object's", async () => {
    const report = await audit({ snapshot: snap().container({ name: 'web', hostConfig: { Privileged: true } }).build(), worker: 'off' });
    const good = JSON.parse(formatJson(report)) as Record<string, unknown> & { findings: Record<string, unknown>[] };
    const details = { packageCount: 1, packages: [{ package: 'openssl', installed: '3.0.11-1', fixed: '3.0.14-1' }] };
    const withDetails = { ...good, findings: good.findings.map((finding, index) => (index === 0 ? { ...finding, details } : finding)) };
    const parsed = parseNodeReport(JSON.stringify(withDetails));
    expect(parsed.findings[0]?.details).toEqual(details);
    expect(parsed.findings[0]?.fingerprint).toBe(good.findings[0]?.['fingerprint']);
    const notAnObject = { ...good, findings: good.findings.map((finding, index) => (index === 0 ? { ...finding, details: 'text' } : finding)) };
    expect(parseNodeReport(JSON.stringify(notAnObject)).findings[0]?.details).toBeUndefined();
  });

  it('merged, can be written in every report format even when a node sends odd but well-typed text', async () => {
    const report = await audit({ snapshot: snap().container({ name: 'web', hostConfig: { Privileged: true } }).build(), worker: 'off' });
    const good = JSON.parse(formatJson(report)) as Record<string, unknown> & { findings: Record<string, unknown>[] };
    const odd = '\u001b[2J\r\nPASS all good \u202e<script>&"';
    const hostile = {
      ...good,
      findings: good.findings.map((finding) => ({ ...finding, message: odd, title: odd, subject: { kind: 'container', name: odd } })),
      problems: [{ scope: 'host', subject: odd, reason: odd }],
      incomplete: [odd],
    };
    const parsed = parseNodeReport(JSON.stringify(hostile));
    const merged = mergeReports([{ label: 'node-a', summary: { address: 'a', label: 'node-a', name: 'a', version: '', reachable: true }, report: parsed }], undefined, '0');
    const text = formatText(merged, { color: false, showPassed: true });
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    expect(text).not.toContain('\nPASS all good');
    for (const format of [formatSarif, formatJunit, (r: typeof merged) => formatMarkdown(r), formatHtml]) expect(() => format(merged)).not.toThrow();
  });

  it("keeps what belongs to the node: not the cluster's checks, not the audit job's own service and tasks", async () => {
    const report = await audit({
      snapshot: snap().container({ name: 'web', hostConfig: { Privileged: true } }).container({ name: 'dockaudit-audit-abc.n1.t1', hostConfig: { Privileged: true } }).build(),
      worker: 'off',
    });
    report.findings.push({ ...(report.findings[0] as (typeof report.findings)[number]), family: 'swarm', ruleId: 'DA701' });
    report.findings.push({ ...(report.findings[0] as (typeof report.findings)[number]), subject: { kind: 'service', name: 'dockaudit-audit-abc' } });
    expect(report.findings.some((finding) => finding.subject.kind === 'container' && finding.subject.name === 'dockaudit-audit-abc.n1.t1')).toBe(true);
    const kept = nodeFindings(report, 'dockaudit-audit-abc');
    expect(kept.findings.some((finding) => finding.subject.name === 'web')).toBe(true);
    expect(kept.findings.some((finding) => finding.subject.name?.startsWith('dockaudit-audit-abc'))).toBe(false);
    expect(kept.findings.some((finding) => finding.family === 'swarm')).toBe(false);
  });

  it('names nodes by hostname, with the node id when two share one', () => {
    const labels = nodeLabels([
      { id: 'aaaaaaaaaaaaaaaa', hostname: 'vm' },
      { id: 'bbbbbbbbbbbbbbbb', hostname: 'vm' },
      { id: 'cccccccccccccccc', hostname: 'db-1' },
    ]);
    expect([...labels.values()]).toEqual(['vm/aaaaaaaaaaaa', 'vm/bbbbbbbbbbbb', 'db-1']);
  });

  it("gives every node a label of its own, whatever hostname a node reports: not the cluster's, not another node's", () => {
    const labels = nodeLabels(
      [
        { id: 'aaaaaaaaaaaaaaaaaaaaaaaaa', hostname: '' },
        { id: 'bbbbbbbbbbbbbbbbbbbbbbbbb', hostname: '/aaaaaaaaaaaa' },
        { id: 'ccccccccccccccccccccccccc', hostname: 'swarm kx9q2w7e1r3t' },
        { id: 'ddddddddddddddddddddddddd', hostname: 'web' },
        { id: 'eeeeeeeeeeeeeeeeeeeeeeeee', hostname: 'web/ddddddddddddddddddddddddd' },
        { id: 'fffffffffffffffffffffffff', hostname: 'web' },
      ],
      ['swarm kx9q2w7e1r3t'],
    );
    const all = ['swarm kx9q2w7e1r3t', ...labels.values()];
    expect(new Set(all).size).toBe(all.length);
    expect(labels.get('ccccccccccccccccccccccccc')).toContain('ccccccccccc');
  });

  it("takes the manager's configuration handed over in the environment, and refuses a bad one", () => {
    expect(swarmNodeConfig({})).toBeUndefined();
    expect(swarmNodeConfig({ DOCKAUDIT_SWARM_CONFIG: JSON.stringify({ failOn: 'high', rules: { DA505: 'off' } }) })).toMatchObject({ failOn: 'high', rules: { DA505: 'off' } });
    expect(() => swarmNodeConfig({ DOCKAUDIT_SWARM_CONFIG: '{' })).toThrow(/DOCKAUDIT_SWARM_CONFIG is not JSON/);
    expect(() => swarmNodeConfig({ DOCKAUDIT_SWARM_CONFIG: '{"failOn":"loud"}' })).toThrow(/DOCKAUDIT_SWARM_CONFIG/);
  });
});
