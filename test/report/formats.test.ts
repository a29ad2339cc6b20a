import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/engine/config.js';
import { runRules } from '../../src/engine/run.js';
import { formatJson } from '../../src/report/json.js';
import { formatJunit } from '../../src/report/junit.js';
import { formatSarif } from '../../src/report/sarif.js';
import { formatText } from '../../src/report/text.js';
import privileged from '../../src/rules/container/DA505.js';
import logLevel from '../../src/rules/daemon/DA203.js';
import { snap } from '../helpers/builder.js';

const report = runRules(
  snap()
    .daemon({ settings: { 'log-level': 'debug' } })
    .container({ name: 'priv', state: 'created', hostConfig: { Privileged: true } })
    .container({ name: 'ok<&>' })
    .build(),
  [logLevel, privileged],
  configSchema.parse({}),
  { toolVersion: '9.9.9' },
);

describe('text report', () => {
  it('groups by section, hides passes by default, ends with a summary line, no colour codes when off', () => {
    const text = formatText(report, { color: false, showPassed: false });
    expect(text).not.toMatch(/\u001b\[/);
    expect(text.indexOf('Docker daemon configuration')).toBeLessThan(text.indexOf('Containers'));
    expect(text).toContain('FAIL    critical DA505 Containers are not privileged [CIS 5.5]\n          container priv: container runs privileged (state: created)\n          fix: ');
    expect(text).not.toContain('ok<&>');
    expect(text.trimEnd().split('\n').at(-1)).toBe('2 rules, 3 findings: 2 fail, 1 pass — failing: 1 critical, 1 low');
    expect(formatText(report, { color: false, showPassed: true })).toContain('ok<&>');
    expect(formatText(report, { color: true, showPassed: false })).toMatch(/\u001b\[/);
  });
});

describe('json report', () => {
  it('follows the contract: one entry per rule and subject, passes included', () => {
    const json = JSON.parse(formatJson(report)) as { schemaVersion: number; findings: Record<string, unknown>[]; summary: unknown };
    expect(json.schemaVersion).toBe(1);
    expect(json.findings).toHaveLength(3);
    expect(json.findings).toContainEqual(
      expect.objectContaining({ ruleId: 'DA505', status: 'fail', severity: 'critical', references: { cis: ['5.5'], checklist: ['POL-3'] }, subject: expect.objectContaining({ kind: 'container', name: 'priv' }) }),
    );
    expect(json.findings).toContainEqual(expect.objectContaining({ ruleId: 'DA505', status: 'pass', subject: expect.objectContaining({ name: 'ok<&>' }) }));
  });
});

describe('sarif report', () => {
  it('lists failing findings as results with logical locations and the rule catalogue', () => {
    const sarif = JSON.parse(formatSarif(report)) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.results.map((result) => [result.ruleId, result.level])).toEqual([
      ['DA505', 'error'],
      ['DA203', 'warning'],
    ]);
    expect(sarif.runs[0]?.tool.driver.rules.map((rule) => rule.id).sort()).toEqual(['DA203', 'DA505']);
  });
});

describe('junit report', () => {
  it('writes escaped XML with failures counted per family', () => {
    const xml = formatJunit(report);
    expect(xml).toContain('<testsuite name="dockaudit.container" tests="2" failures="1" errors="0" skipped="0">');
    expect(xml).toContain('name="DA505 container ok&lt;&amp;&gt;"');
    expect(xml).not.toContain('ok<&>');
  });

  it('writes no character XML 1.0 cannot carry (U+FFFE, U+FFFF, a lone surrogate), so the whole file still parses', () => {
    const hostile = runRules(snap().container({ name: 'a\uffffb\ufffec\ud800d', hostConfig: { Privileged: true } }).build(), [privileged], configSchema.parse({}), { toolVersion: '9.9.9' });
    const xml = formatJunit(hostile);
    expect(xml).toContain('DA505 container a');
    expect(xml).not.toMatch(/[\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });
});
