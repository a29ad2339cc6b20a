/**
 * GitLab Code Quality (the Code Climate subset GitLab reads): one issue per failing, warning or
 * erroring finding, with a fingerprint that stays the same from run to run while the finding
 * does, so merge requests show what is new and what is fixed. A finding about a container or the
 * daemon has no file: its path is `docker/<target>/<kind>/<name>`, line 1.
 */
import { createHash } from 'node:crypto';
import type { Finding, Report } from '../engine/report.js';
import type { Severity } from '../rules/types.js';
import { byImportance, isActionable, pseudoPath, subjectText } from './findings-view.js';

const GITLAB_SEVERITY: Record<Severity, 'blocker' | 'critical' | 'major' | 'minor' | 'info'> = {
  critical: 'blocker',
  high: 'critical',
  medium: 'major',
  low: 'minor',
  info: 'info',
};

/**
 * The identity of a finding: its rule and message id, target, subject (kind and name, else id),
 * file and message, never its line, so moving a line leaves it alone. A fingerprint the report
 * already carries is used as it is.
 */
function identity(finding: Finding): string {
  const carried = (finding as Finding & { fingerprint?: unknown }).fingerprint;
  if (typeof carried === 'string' && carried !== '') return carried;
  const { subject } = finding;
  return createHash('sha256')
    .update(JSON.stringify([finding.ruleId, finding.messageId, finding.target ?? '', subject.kind, subject.name ?? subject.id ?? '', finding.location?.file ?? '', finding.message]))
    .digest('hex');
}

export function formatGitlab(report: Report): string {
  const seen = new Map<string, number>();
  const issues = report.findings
    .filter(isActionable)
    .sort(byImportance)
    .map((finding) => {
      // The same finding twice in one file (two identical lines) gets a numbered fingerprint each.
      const base = identity(finding);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      const where = `${finding.target !== undefined ? `[${finding.target}] ` : ''}${subjectText(finding)}`;
      return {
        type: 'issue',
        check_name: `${finding.ruleId} ${finding.alias}`,
        description: `${finding.ruleId}: ${where}: ${finding.message}`,
        categories: ['Security'],
        severity: GITLAB_SEVERITY[finding.severity],
        fingerprint: count === 0 ? base : createHash('sha256').update(`${base}#${count}`).digest('hex'),
        location: { path: finding.location?.file ?? pseudoPath(finding), lines: { begin: finding.location?.line ?? 1 } },
      };
    });
  return `${JSON.stringify(issues, null, 2)}\n`;
}
