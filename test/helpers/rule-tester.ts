/**
 * Runs one rule over a snapshot through the real engine and returns its findings,
 * so rule tests assert on rule id, status, message id, subject and location.
 */
import { DEFAULT_CONFIG, configSchema } from '../../src/engine/config.js';
import type { Finding } from '../../src/engine/report.js';
import { runRules } from '../../src/engine/run.js';
import type { AnyRule } from '../../src/rules/types.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { workloadsFromCompose } from '../../src/views/from-compose.js';

export function runRule(rule: AnyRule, snapshot: Snapshot, options?: Record<string, unknown>): Finding[] {
  const config = options ? configSchema.parse({ rules: { [rule.meta.id]: { options } } }) : DEFAULT_CONFIG;
  // Without fingerprints: a rule's tests judge what it found (fingerprints have their own, test/engine/fingerprint.test.ts).
  return runRules(snapshot, [rule], config, { toolVersion: 'test', fileWorkloads: workloadsFromCompose }).findings.map(({ fingerprint: _fingerprint, ...finding }) => finding);
}

/** The one finding for a subject name; fails the test when there is not exactly one. */
export function findingFor(findings: Finding[], subjectName: string): Finding {
  const matching = findings.filter((finding) => finding.subject.name === subjectName);
  if (matching.length !== 1) {
    throw new Error(`expected one finding for ${subjectName}, got ${matching.length}: ${JSON.stringify(findings.map((f) => [f.subject.name, f.status, f.messageId]))}`);
  }
  return matching[0] as Finding;
}

/** Compact view for toEqual assertions: [subject name, status, messageId]. */
export function summary(findings: Finding[]): [string | undefined, string, string][] {
  return findings.map((finding) => [finding.subject.name, finding.status, finding.messageId]);
}
