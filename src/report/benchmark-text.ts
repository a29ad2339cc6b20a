/**
 * The text of a report's per-control view (`--benchmark`): one line per control in benchmark
 * order, the findings that decide a control that did not pass beneath it, then the score.
 * And the text of a baseline comparison: counts and the resolved findings.
 */
import type { createColors } from 'picocolors';

type Colors = ReturnType<typeof createColors>;
import type { ControlStatus, Report } from '../engine/report.js';
import { escapeControl } from '../escape.js';

/** Resolved findings listed in the text report; the JSON report lists them all. */
export const RESOLVED_LISTED = 20;

function statusText(c: Colors, status: ControlStatus): string {
  const label = status.toUpperCase().padEnd(14);
  switch (status) {
    case 'pass':
      return c.green(label);
    case 'fail':
    case 'error':
      return c.bold(c.red(label));
    case 'warn':
      return c.yellow(label);
    case 'manual':
      return c.cyan(label);
    default:
      return c.dim(label);
  }
}

/** The per-control lines, or none when the report has no benchmark view. */
export function benchmarkLines(report: Report, c: Colors, showPassed: boolean): string[] {
  const view = report.benchmark;
  if (view === undefined) return [];
  const lines = ['', c.bold(c.underline(`${view.name}: one verdict per control`))];
  const width = Math.max(...view.controls.map((control) => control.id.length));
  for (const control of view.controls) {
    lines.push(`  ${statusText(c, control.status)} ${c.bold(control.id.padEnd(width))} ${escapeControl(control.title)}`);
    if (control.status === 'pass' && !showPassed) continue;
    for (const finding of control.findings) {
      if (finding.status === 'pass' && !showPassed) continue;
      const target = finding.target !== undefined ? `[${escapeControl(finding.target)}] ` : '';
      const name = finding.subject.name ?? finding.subject.kind;
      lines.push(c.dim(`      ${finding.ruleId} ${finding.status} ${target}${escapeControl(name)}: `) + escapeControl(finding.message));
    }
    if (control.decidedBy > control.findings.length) lines.push(c.dim(`      and ${control.decidedBy - control.findings.length} more findings`));
  }
  const { score } = view;
  const percent = score.percent !== undefined ? `, ${score.percent}% of the automated controls judged passed` : '';
  lines.push('', c.bold(`Score ${score.score} over ${score.checks} checks (as docker-bench-security counts: ${score.passed} passed +1, ${score.failed} failed or warned -1, ${score.manual} manual or informational 0)${percent}`));
  return lines;
}

/** The baseline comparison's lines, or none without a baseline. */
export function baselineLines(report: Report, c: Colors): string[] {
  const baseline = report.baseline;
  if (baseline === undefined) return [];
  const lines = ['', c.bold(`Compared with ${escapeControl(baseline.file)}: ${baseline.new} new, ${baseline.unchanged} unchanged, ${baseline.resolved.length} resolved`)];
  for (const resolved of baseline.resolved.slice(0, RESOLVED_LISTED)) {
    const where = resolved.location ? ` (${escapeControl(resolved.location.file)}:${resolved.location.line})` : '';
    const target = resolved.target !== undefined ? `[${escapeControl(resolved.target)}] ` : '';
    lines.push(c.green(`  resolved ${resolved.ruleId} ${resolved.status} ${target}${escapeControl(resolved.subject.name ?? resolved.subject.kind)}${where}: ${escapeControl(resolved.message)}`));
  }
  if (baseline.resolved.length > RESOLVED_LISTED) lines.push(c.dim(`  and ${baseline.resolved.length - RESOLVED_LISTED} more resolved (all are in the JSON report)`));
  return lines;
}
