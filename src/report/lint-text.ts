/**
 * Text for `dockaudit lint`: one line per finding, `file:line:col severity rule message`, the
 * findings of one file together (files in the order first met, findings by line), a blank line
 * between files, and the summary line of the text report. Editors and terminals turn
 * `file:line:col` into a link; `grep` finds a file's findings. A message longer than
 * MESSAGE_CHARACTERS is cut there, with how much was left out.
 */
import { createColors } from 'picocolors';
import type { Finding, Report } from '../engine/report.js';
import type { Status } from '../rules/types.js';
import { escapeControl } from '../escape.js';
import { formatText, summaryLine, type TextOptions } from './text.js';
import { baselineLines } from './benchmark-text.js';

/** Characters of a message printed on its line; what is beyond is counted. */
export const MESSAGE_CHARACTERS = 300;

/** A message cut at MESSAGE_CHARACTERS, ending with how many characters were left out. */
export function shortMessage(message: string): string {
  if (message.length <= MESSAGE_CHARACTERS) return message;
  return `${message.slice(0, MESSAGE_CHARACTERS)}… (${message.length - MESSAGE_CHARACTERS} more characters; the JSON report has it whole)`;
}

/** The severity column: a failing finding's severity, else its status (`warn`, `error`, `manual`...). */
function level(finding: Finding): string {
  return finding.status === 'fail' ? finding.severity : finding.status;
}

const ORDER: Record<Status, number> = { error: 0, fail: 1, warn: 2, manual: 3, info: 4, skipped: 5, pass: 6 };

export function formatLintText(report: Report, options: TextOptions): string {
  // A per-control view is told per control, as the text report tells it.
  if (report.benchmark !== undefined) return formatText(report, options);
  const c = createColors(options.color);
  const byFile = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    if (finding.status === 'pass' && !options.showPassed) continue;
    const file = finding.location?.file ?? finding.subject.name ?? finding.subject.kind;
    const found = byFile.get(file);
    if (found) found.push(finding);
    else byFile.set(file, [finding]);
  }
  const lines: string[] = [];
  for (const problem of report.problems) lines.push(c.yellow(`not visible: ${escapeControl(`${problem.scope}${problem.subject ? ` ${problem.subject}` : ''}: ${problem.reason}`)}`));
  for (const [file, findings] of byFile) {
    if (lines.length > 0) lines.push('');
    findings.sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0) || ORDER[a.status] - ORDER[b.status]);
    for (const finding of findings) {
      const where = finding.location ? `${escapeControl(file)}:${finding.location.line}:${finding.location.column ?? 1}` : escapeControl(file);
      const severity = level(finding);
      const coloured = finding.status === 'fail' || finding.status === 'error' ? c.red(severity) : finding.status === 'pass' ? c.green(severity) : c.yellow(severity);
      const suppressed = finding.suppressed ? c.dim(` (ignored: ${escapeControl(finding.suppressed.reason)})`) : '';
      const fresh = finding.baseline === 'new' ? c.bold(' [new]') : '';
      lines.push(`${c.bold(where)} ${coloured} ${finding.ruleId} ${escapeControl(shortMessage(finding.message))}${suppressed}${fresh}`);
    }
  }
  lines.push(...baselineLines(report, c));
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(report, c));
  return `${lines.join('\n')}\n`;
}
