import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/pipeline.js';
import { nodeFindings, nodeLabels, parseNodeReport, swarmNodeConfig, swarmNodeLines } from '../../src/audit/swarm.js';
import { unframeReport } from '../../src/collect/swarm-frames.js';
import { formatJson } from '../../src/report/json.js';
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
    const finding = { ruleId: 'DA505', message: 'm', messageId: 'privileged', status: 'fail', severity: 'critical', subject: { kind: 'container', name: 'web' } };
    expect(parseNodeReport(JSON.stringify({ ...base, findings: [finding] })).findings).toHaveLength(1);
    expect(() => parseNodeReport(JSON.stringify({ ...base, findings: [{ ...finding, status: 'fine' }] }))).toThrow('its findings are malformed');
    expect(() => parseNodeReport(JSON.stringify({ ...base, findings: [{ ...finding, subject: null }] }))).toThrow('its findings are malformed');
    expect(() => parseNodeReport(JSON.stringify({ ...base, findings: [], incomplete: [1] }))).toThrow('its incomplete reasons are malformed');
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

  it("takes the manager's configuration handed over in the environment, and refuses a bad one", () => {
    expect(swarmNodeConfig({})).toBeUndefined();
    expect(swarmNodeConfig({ DOCKAUDIT_SWARM_CONFIG: JSON.stringify({ failOn: 'high', rules: { DA505: 'off' } }) })).toMatchObject({ failOn: 'high', rules: { DA505: 'off' } });
    expect(() => swarmNodeConfig({ DOCKAUDIT_SWARM_CONFIG: '{' })).toThrow(/DOCKAUDIT_SWARM_CONFIG is not JSON/);
    expect(() => swarmNodeConfig({ DOCKAUDIT_SWARM_CONFIG: '{"failOn":"loud"}' })).toThrow(/DOCKAUDIT_SWARM_CONFIG/);
  });
});
