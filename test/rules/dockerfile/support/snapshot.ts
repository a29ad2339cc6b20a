/**
 * Small inline Dockerfiles for rule tests: a snapshot holding one Dockerfile, and a compact
 * view of the findings that are not passes.
 */
import type { Finding } from '../../../../src/engine/report.js';
import type { AnyRule } from '../../../../src/rules/types.js';
import { snap } from '../../../helpers/builder.js';
import type { Snapshot } from '../../../../src/snapshot/types.js';
import { runRule } from '../../../helpers/rule-tester.js';

/** A digest to pin test images with. */
export const DIGEST = `sha256:${'ab12'.repeat(16)}`;

/** A snapshot whose only file is this Dockerfile. */
export function dockerfile(content: string, path = 'Dockerfile'): Snapshot {
  return snap()
    .with((snapshot) => {
      snapshot.files = { files: [{ path, kind: 'dockerfile', content }] };
    })
    .build();
}

/** Runs the rule on one Dockerfile. */
export function lint(rule: AnyRule, content: string, options?: Record<string, unknown>): Finding[] {
  return runRule(rule, dockerfile(content), options);
}

/** [line, status, messageId] of every finding that is not a pass. */
export function problems(findings: Finding[]): [number | undefined, string, string][] {
  return findings.filter((finding) => finding.status !== 'pass').map((finding) => [finding.location?.line, finding.status, finding.messageId]);
}
