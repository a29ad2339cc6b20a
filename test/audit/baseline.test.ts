import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWithBaseline, parseBaseline, readBaseline } from '../../src/audit/baseline.js';
import { outcomeOf } from '../../src/audit/outcome.js';
import { audit } from '../../src/audit/pipeline.js';
import { configSchema } from '../../src/engine/config.js';
import { formatJson } from '../../src/report/json.js';
import { formatText } from '../../src/report/text.js';
import { UsageError } from '../../src/errors.js';
import { snap } from '../helpers/builder.js';

const config = configSchema.parse({ only: ['DA505', 'DA513'] });
const before = snap().container({ name: 'old', hostConfig: { Privileged: true } }).container({ name: 'fixed', hostConfig: { Privileged: true } }).build();
const after = snap().container({ name: 'old', hostConfig: { Privileged: true } }).container({ name: 'fixed' }).container({ name: 'added', hostConfig: { Privileged: true } }).build();

describe('baseline', () => {
  it('marks findings new or unchanged, lists resolved ones, and fails only on new failing findings', async () => {
    const baseline = parseBaseline(formatJson(await audit({ snapshot: before, config })), 'before.json');
    const report = await audit({ snapshot: after, config, baseline });
    const marks = report.findings.filter((finding) => finding.ruleId === 'DA505').map((finding) => [finding.subject.name, finding.status, finding.baseline]);
    expect(marks.sort()).toEqual([
      ['added', 'fail', 'new'],
      ['fixed', 'pass', 'new'],
      ['old', 'fail', 'unchanged'],
    ]);
    expect(report.baseline?.resolved.map((resolved) => [resolved.ruleId, resolved.subject.name, resolved.status])).toEqual([['DA505', 'fixed', 'fail']]);
    expect(outcomeOf(report, 'low').kind).toBe('findings');
    const text = formatText(report, { color: false, showPassed: false });
    expect(text).toContain('Compared with before.json: ');
    expect(text).toContain('resolved DA505 fail fixed: ');
    expect(text).toMatch(/container added: .* \[new\]/);

    // The same host again: nothing new, so the gate passes although findings fail.
    const again = await audit({ snapshot: after, config, baseline: parseBaseline(formatJson(report), 'after.json') });
    expect(again.findings.every((finding) => finding.baseline === 'unchanged')).toBe(true);
    expect(again.findings.some((finding) => finding.status === 'fail')).toBe(true);
    expect(outcomeOf(again, 'low').kind).toBe('clean');
  });

  it('does not call the findings of rules this run did not select resolved', async () => {
    const baseline = parseBaseline(formatJson(await audit({ snapshot: before, config })), 'before.json');
    const report = await audit({ snapshot: before, config: configSchema.parse({ only: ['DA513'] }), baseline });
    expect(report.baseline?.resolved).toEqual([]);
  });

  it('refuses what is not a usable baseline with one clear error, never treating everything as new', async () => {
    const good = JSON.parse(formatJson(await audit({ snapshot: before, config }))) as Record<string, unknown>;
    const cases: [string, string][] = [
      ['not json', 'is not JSON'],
      [JSON.stringify({ hello: 1 }), 'is not a dockaudit JSON report'],
      [JSON.stringify({ ...good, schemaVersion: 2 }), 'schemaVersion is 2'],
      [JSON.stringify({ ...good, fingerprintScheme: undefined }), 'has no fingerprints'],
      [JSON.stringify({ ...good, fingerprintScheme: 99 }), 'fingerprints of scheme 99'],
      [JSON.stringify({ ...good, findings: [{ ruleId: 'DA505', status: 'fail' }] }), 'finding 0 has no fingerprint'],
    ];
    for (const [text, message] of cases) {
      expect(() => parseBaseline(text, 'b.json')).toThrow(UsageError);
      expect(() => parseBaseline(text, 'b.json')).toThrow(message);
    }
    const directory = mkdtempSync(join(tmpdir(), 'dockaudit-baseline-'));
    expect(() => readBaseline(join(directory, 'missing.json'))).toThrow(/cannot read baseline .*missing\.json/);
    expect(() => readBaseline(directory)).toThrow('not a regular file');
    writeFileSync(join(directory, 'ok.json'), JSON.stringify(good));
    expect(readBaseline(join(directory, 'ok.json')).findings.size).toBe(4);
  });

  it('compareWithBaseline counts new and unchanged', async () => {
    const report = await audit({ snapshot: after, config });
    compareWithBaseline(report, { file: 'none', findings: new Map() }, () => true);
    expect(report.baseline).toMatchObject({ new: report.findings.length, unchanged: 0, resolved: [] });
  });
});
