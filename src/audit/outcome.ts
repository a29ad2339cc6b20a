/**
 * What a report means for whoever gates on it: clean, failing findings at or above the
 * threshold, or an audit that could not be done in full. The command line turns this into its
 * exit code; an embedding tool can gate on it the same way.
 */
import type { Report } from '../engine/report.js';
import { exceedsThreshold, hasErrors } from '../engine/run.js';
import type { Severity } from '../rules/types.js';

export type Outcome =
  /** No failing, unsuppressed finding at or above the threshold. */
  | { kind: 'clean' }
  /** At least one failing, unsuppressed finding at or above the threshold. */
  | { kind: 'findings' }
  /** Part of the audit could not be done: the reasons, one line each. Never clean. */
  | { kind: 'incomplete'; reasons: string[] };

/**
 * The outcome of a report at `failOn`. With a baseline (`report.baseline`), only the findings
 * the baseline did not have count against the threshold; an audit that could not be done in
 * full is incomplete either way.
 */
export function outcomeOf(report: Report, failOn: Severity): Outcome {
  const reasons = [...(report.incomplete ?? [])];
  if (hasErrors(report)) reasons.push('some rules, files or images could not be audited; see the findings with status "error"');
  if (reasons.length > 0) return { kind: 'incomplete', reasons };
  const judged = report.baseline === undefined ? report : { ...report, findings: report.findings.filter((finding) => finding.baseline !== 'unchanged') };
  return exceedsThreshold(judged, failOn) ? { kind: 'findings' } : { kind: 'clean' };
}
