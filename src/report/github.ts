/**
 * GitHub Actions workflow commands: one annotation per failing, warning or erroring finding,
 * `::error file=F,line=L,col=C,title=T::message`, shown on the run and, for files, on the lines
 * of a pull request. Control characters other than line breaks are written as visible escapes;
 * then GitHub's own escaping: `%`, CR and LF in the message, and also `:` and `,` in properties,
 * so no value can end its command or start another.
 */
import type { Finding, Report } from '../engine/report.js';
import { escapeControl, escapeControlKeepingLines } from '../escape.js';
import { byImportance, isActionable, subjectText } from './findings-view.js';

/** A workflow command's message. */
export function escapeGithubData(text: string): string {
  return escapeControlKeepingLines(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value. */
export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function level(finding: Finding): 'error' | 'warning' | 'notice' {
  if (finding.status === 'error') return 'error';
  if (finding.status === 'fail') return finding.severity === 'low' || finding.severity === 'info' ? 'warning' : 'error';
  return finding.status === 'warn' ? 'warning' : 'notice';
}

function annotation(finding: Finding): string {
  const properties: string[] = [];
  if (finding.location !== undefined) {
    properties.push(`file=${escapeGithubProperty(finding.location.file)}`, `line=${finding.location.line}`);
    if (finding.location.column) properties.push(`col=${finding.location.column}`);
  }
  properties.push(`title=${escapeGithubProperty(`${finding.ruleId} ${finding.title}`)}`);
  // Each value on one line, so the only line break is the one before the fix.
  const where = escapeControl(`${finding.target !== undefined ? `[${finding.target}] ` : ''}${subjectText(finding)}: ${finding.message}`);
  const fix = finding.remediation !== undefined && finding.status === 'fail' ? `\nfix: ${escapeControl(finding.remediation)}` : '';
  return `::${level(finding)} ${properties.join(',')}::${escapeGithubData(`${where} (${finding.severity})${fix}`)}`;
}

export function formatGithub(report: Report): string {
  const reported = report.findings.filter(isActionable).sort(byImportance);
  const { summary } = report;
  const failing = summary.byStatus.fail + summary.byStatus.error;
  const closing = `dockaudit: ${summary.total} findings, ${failing} failing or in error, ${summary.byStatus.warn} warnings${summary.suppressed > 0 ? `, ${summary.suppressed} ignored` : ''}`;
  const incomplete = (report.incomplete ?? []).map((reason) => `::error title=dockaudit incomplete::${escapeGithubData(reason)}`);
  return `${[...incomplete, ...reported.map(annotation), escapeGithubData(closing)].join('\n')}\n`;
}
