/**
 * The Markdown report with a baseline (each finding new or unchanged, counted since the
 * baseline) and with a benchmark view (the score and a bounded table of controls).
 */
import { describe, expect, it } from 'vitest';
import { benchmarkView } from '../../src/engine/benchmark.js';
import type { BenchmarkView, Finding, Report } from '../../src/engine/report.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { loadRules } from '../../src/rules/registry.js';
import { HOSTILE_NAME, smallReport } from './report-fixtures.js';

const base = await smallReport();
const metas = (await loadRules()).map((rule) => rule.meta);
const isActionable = (finding: Finding): boolean => ['fail', 'warn', 'error'].includes(finding.status) && finding.suppressed === undefined;

function withBaseline(report: Report): Report {
  const findings = report.findings.map((finding, index) => ({ ...finding, baseline: index % 2 === 0 ? ('new' as const) : ('unchanged' as const) }));
  const count = (verdict: string): number => findings.filter((finding) => finding.baseline === verdict).length;
  return { ...report, findings, baseline: { file: `old|${HOSTILE_NAME}.json`, new: count('new'), unchanged: count('unchanged'), resolved: [base.findings[0]!].map((finding) => ({ fingerprint: 'fp1', ruleId: finding.ruleId, status: finding.status, severity: finding.severity, subject: finding.subject, message: finding.message })) } };
}

describe('markdown with a baseline', () => {
  it('marks each listed finding new or unchanged and counts them since the baseline', () => {
    const report = withBaseline(base);
    const markdown = formatMarkdown(report);
    const summary = report.baseline!;
    expect(markdown).toContain(`**Since the baseline** old\\|&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;.json: ${summary.new} new, ${summary.unchanged} unchanged, 1 resolved`);
    expect(markdown).toContain('| status | baseline | severity | rule | subject | location | message |');
    const rows = markdown.split('\n').filter((line) => line.startsWith('| **'));
    const listed = report.findings.filter(isActionable);
    expect(rows).toHaveLength(listed.length);
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length).toBe(9);
    expect(rows.filter((row) => /^\| \*\*\w+\*\* \| \*\*new\*\* \|/.test(row))).toHaveLength(listed.filter((finding) => finding.baseline === 'new').length);
    expect(rows.filter((row) => /^\| \*\*\w+\*\* \| unchanged \|/.test(row))).toHaveLength(listed.filter((finding) => finding.baseline === 'unchanged').length);
    expect(markdown).not.toContain(HOSTILE_NAME);
  });

  it('has no baseline column or line without a baseline', () => {
    const markdown = formatMarkdown(base);
    expect(markdown).not.toContain('baseline');
    expect(markdown).toContain('| status | severity | rule | subject | location | message |');
  });
});

describe('markdown with a benchmark view', () => {
  const view = benchmarkView(base, 'cis', metas, () => true);
  const report: Report = { ...base, benchmark: view };

  it('gives the score and a row per control, those asking for action first', () => {
    const markdown = formatMarkdown(report);
    expect(markdown).toContain(`### ${view.name}`);
    expect(markdown).toContain(`**Score ${view.score.score}** — ${view.score.passed} passed, ${view.score.failed} failed or warned, ${view.score.manual} manual, of ${view.score.checks} controls`);
    const rows = markdown.split('\n').filter((line) => /^\| \d+(\.\d+)* \| \*\*/.test(line));
    expect(rows).toHaveLength(view.controls.length);
    const failing = view.controls.find((control) => control.status === 'fail')!;
    expect(rows[0]).toMatch(/^\| [\d.]+ \| \*\*fail\*\* \|/);
    expect(rows).toContain(`| ${failing.id} | **fail** | ${failing.title} | ${failing.decidedBy} |`);
    const order = ['fail', 'error', 'warn', 'manual', 'info', 'pass', 'not-applicable', 'skipped'];
    const statuses = rows.map((row) => order.indexOf(/\*\*([\w-]+)\*\*/.exec(row)![1]!));
    expect(statuses).toEqual([...statuses].sort((a, b) => a - b));
    // The findings' tables are still there, after it.
    expect(markdown.indexOf(`### ${view.name}`)).toBeLessThan(markdown.indexOf('### Containers\n\n| status'));
  });

  it('keeps the table within a share of the size, counting the controls left out', () => {
    const many: BenchmarkView = { ...view, controls: Array.from({ length: 2_000 }, (_, index) => ({ ...view.controls[index % view.controls.length]!, id: `9.${index}`, title: `${HOSTILE_NAME} ${'x'.repeat(80)}` })) };
    const markdown = formatMarkdown({ ...base, benchmark: many });
    expect(markdown.length).toBeLessThanOrEqual(60_000);
    const rows = markdown.split('\n').filter((line) => /^\| 9\.\d+ \| \*\*/.test(line));
    expect(rows.length).toBeGreaterThan(50);
    expect(rows.join('\n').length).toBeLessThan(20_000);
    expect(markdown).toContain(`… and ${2_000 - rows.length} more controls not shown here; see the full report (--format json or html).`);
    expect(markdown).not.toContain(HOSTILE_NAME);
    // The findings still have their room.
    expect(markdown.split('\n').filter((line) => line.startsWith('| **')).length).toBe(base.findings.filter(isActionable).length);
    const small = formatMarkdown({ ...base, benchmark: many }, { maxChars: 5_000 });
    expect(small.length).toBeLessThanOrEqual(5_000);
  });
});
