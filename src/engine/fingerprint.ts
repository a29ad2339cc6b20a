/**
 * Fingerprints: a stable name for each finding, so a later report can tell which findings are
 * new and which were there before (`--baseline`), and code-scanning dashboards can follow one
 * alert across commits (SARIF `partialFingerprints`).
 *
 * A fingerprint hashes, under a scheme version: the rule and message id; the subject by kind and
 * name (never a container id, which changes when a container is re-created) and, for a finding
 * in a file, the file's path; the text of the line the finding points at, with secrets redacted
 * and blanks collapsed (so a finding survives lines added above it, and a changed instruction is
 * a new finding); and how many findings before it had all of these the same. Never a line
 * number, never a message (messages hold counts and ages that change from run to run), never a
 * value the redactor would hide. A report of several daemons adds the daemon's label.
 */
import * as crypto from 'node:crypto';
import { redactSecrets } from '../rules/shared/redact.js';
import type { Snapshot } from '../snapshot/types.js';
import type { Finding } from './report.js';

/** Bumped whenever what goes into a fingerprint changes: a baseline of another scheme is refused. */
export const FINGERPRINT_SCHEME = 1;

/** Characters of a source line that go into its fingerprint: an instruction's first line is enough to tell it apart. */
const LINE_CHARACTERS = 512;

/** Node's one-shot `crypto.hash` (20.12 and later) is twice as fast as a Hash object per finding. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string) => string }).hash;

function hash(text: string): string {
  return (oneShot !== undefined ? oneShot('sha256', text) : crypto.createHash('sha256').update(text).digest('hex')).slice(0, 32);
}

/** A source line's lines, split once per file. */
function lineReader(snapshot: Snapshot | undefined): (file: string, line: number) => string {
  const contents = new Map<string, string>();
  for (const file of snapshot?.files?.files ?? []) if (file.content !== undefined) contents.set(file.path, file.content);
  // A file's lines, split on first use; each line redacted once, however many findings point at it.
  const split = new Map<string, string[]>();
  const redacted = new Map<string, string[]>();
  return (file, line) => {
    let lines = split.get(file);
    if (lines === undefined) {
      const content = contents.get(file);
      lines = content === undefined ? [] : content.split(/\r?\n/);
      split.set(file, lines);
      redacted.set(file, []);
    }
    const done = redacted.get(file) as string[];
    const cached = done[line - 1];
    if (cached !== undefined) return cached;
    const text = lines[line - 1];
    const shown = text === undefined ? '' : redactSecrets(text.slice(0, LINE_CHARACTERS).trim().replace(/\s+/g, ' '));
    done[line - 1] = shown;
    return shown;
  };
}

/**
 * Sets `fingerprint` on every finding of a report built from `snapshot` (whose files give the
 * source lines). Findings are taken in report order, which is stable, for the occurrence count.
 * `onlyMissing`: leave the fingerprints already set (the findings a merge of reports added).
 */
export function addFingerprints(findings: readonly Finding[], snapshot: Snapshot | undefined, onlyMissing = false): void {
  const lineText = lineReader(snapshot);
  const occurrences = new Map<string, number>();
  for (const finding of findings) {
    if (onlyMissing && finding.fingerprint !== undefined) continue;
    const { subject, location } = finding;
    const content = location === undefined ? '' : lineText(location.file, location.line);
    const base = hash(`${FINGERPRINT_SCHEME}\u0000${finding.ruleId}\u0000${finding.messageId}\u0000${subject.kind}\u0000${subject.name ?? ''}\u0000${location?.file ?? ''}\u0000${content}`);
    // The first finding of its kind is named by the hash alone; the ones after it by their rank too.
    const seen = occurrences.get(base) ?? 0;
    occurrences.set(base, seen + 1);
    finding.fingerprint = seen === 0 ? base : hash(`${base}\u0000${seen}`);
  }
}

/** A fingerprint made distinct per daemon, for a report of several. */
export function targetFingerprint(fingerprint: string, target: string): string {
  return hash(`${fingerprint}\u0000${target}`);
}
