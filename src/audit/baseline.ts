/**
 * `--baseline PREVIOUS.json`: compare a report with an earlier JSON report of dockaudit by the
 * findings' fingerprints. Each finding becomes `new` or `unchanged`; the earlier failing,
 * warning or erroring findings that are gone are listed as resolved; and `outcomeOf` counts only
 * the new failing findings against the threshold.
 *
 * A baseline that cannot be used is an error, never a silent "everything is new": an unreadable
 * or oversized file, text that is not JSON, JSON that is not a dockaudit report, or a report
 * whose fingerprints were made by another scheme (or by a version without fingerprints).
 */
import { FINGERPRINT_SCHEME } from '../engine/fingerprint.js';
import { REPORT_SCHEMA_VERSION, type Finding, type Report, type ResolvedFinding } from '../engine/report.js';
import { UsageError, describeError } from '../errors.js';
import { readBoundedFile, type BoundedRead } from '../collect/bounded-file.js';

/** A report of 100,000 findings is about 60 MiB; a baseline larger than this is refused unread. */
export const MAX_BASELINE_BYTES = 512 * 1024 * 1024;

/** The earlier report's findings, by fingerprint, as `readBaseline` checked them. */
export interface Baseline {
  file: string;
  findings: Map<string, Finding>;
}

/** The text of a baseline: a regular file only, at most MAX_BASELINE_BYTES of it (see collect/bounded-file.ts). */
function readText(path: string): string {
  let read: BoundedRead;
  try {
    read = readBoundedFile(path, MAX_BASELINE_BYTES);
  } catch (error) {
    throw new UsageError(`cannot read baseline ${path}: ${describeError(error)}`);
  }
  if (read.status === 'not-regular') throw new UsageError(`cannot use baseline ${path}: not a regular file`);
  if (read.status === 'too-large') throw new UsageError(`cannot use baseline ${path}: larger than ${MAX_BASELINE_BYTES} bytes`);
  return read.bytes.toString('utf8');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the parsed text is a dockaudit JSON report with fingerprints of this scheme, and indexes it. */
export function parseBaseline(text: string, path: string): Baseline {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`baseline ${path} is not JSON (give a report written with --format json): ${describeError(error)}`);
  }
  const notReport = (why: string): UsageError => new UsageError(`baseline ${path} is not a dockaudit JSON report: ${why}`);
  if (!isRecord(parsed) || !isRecord(parsed['tool']) || parsed['tool']['name'] !== 'dockaudit') throw notReport('it has no "tool": {"name": "dockaudit"}');
  if (parsed['schemaVersion'] !== REPORT_SCHEMA_VERSION) throw notReport(`its schemaVersion is ${JSON.stringify(parsed['schemaVersion'])}, not ${REPORT_SCHEMA_VERSION}`);
  const scheme = parsed['fingerprintScheme'];
  if (scheme !== FINGERPRINT_SCHEME) {
    const version = typeof parsed['tool']['version'] === 'string' ? parsed['tool']['version'] : 'unknown';
    throw new UsageError(
      scheme === undefined
        ? `baseline ${path} has no fingerprints (dockaudit ${version} wrote it): make a new baseline with this version`
        : `baseline ${path} has fingerprints of scheme ${JSON.stringify(scheme)} (dockaudit ${version}), this version uses scheme ${FINGERPRINT_SCHEME}: make a new baseline with this version`,
    );
  }
  const findings = parsed['findings'];
  if (!Array.isArray(findings)) throw notReport('it has no "findings" list');
  const byFingerprint = new Map<string, Finding>();
  for (const [index, finding] of findings.entries()) {
    if (!isRecord(finding) || typeof finding['fingerprint'] !== 'string' || typeof finding['ruleId'] !== 'string' || typeof finding['status'] !== 'string') {
      throw notReport(`finding ${index} has no fingerprint, rule id or status`);
    }
    byFingerprint.set(finding['fingerprint'], finding as unknown as Finding);
  }
  return { file: path, findings: byFingerprint };
}

/** Reads and checks a baseline report; any failure is a UsageError (exit 2). */
export function readBaseline(path: string): Baseline {
  return parseBaseline(readText(path), path);
}

/** Statuses of an earlier finding worth reporting as resolved. */
const RESOLVABLE = new Set(['fail', 'warn', 'error']);

/**
 * Marks each finding of `report` `new` or `unchanged`, and lists the baseline's failing, warning
 * and erroring findings that are gone, among the rules `inScope` says this run judged (a rule
 * left out by --only is not resolved, it was not asked).
 */
export function compareWithBaseline(report: Report, baseline: Baseline, inScope: (ruleId: string) => boolean): void {
  const seen = new Set<string>();
  let fresh = 0;
  for (const finding of report.findings) {
    if (finding.fingerprint === undefined) continue;
    seen.add(finding.fingerprint);
    if (baseline.findings.has(finding.fingerprint)) finding.baseline = 'unchanged';
    else {
      finding.baseline = 'new';
      fresh += 1;
    }
  }
  const resolved: ResolvedFinding[] = [];
  for (const [fingerprint, earlier] of baseline.findings) {
    if (seen.has(fingerprint) || !RESOLVABLE.has(earlier.status) || !inScope(earlier.ruleId)) continue;
    resolved.push({
      fingerprint,
      ruleId: earlier.ruleId,
      status: earlier.status,
      severity: earlier.severity,
      subject: earlier.subject,
      ...(earlier.location !== undefined ? { location: earlier.location } : {}),
      message: earlier.message,
      ...(earlier.target !== undefined ? { target: earlier.target } : {}),
    });
  }
  report.baseline = { file: baseline.file, new: fresh, unchanged: report.findings.length - fresh, resolved };
}
