/**
 * Builders of host facts for the host rule tests.
 */
import type { FileFacts, HostSystemFacts } from '../../../src/snapshot/host.js';

/** A present path owned by root, with what the test states. */
export function present(path: string, extra: Partial<FileFacts> = {}): FileFacts {
  return { path, status: 'present', type: 'file', uid: 0, gid: 0, owner: 'root', group: 'root', mode: 0o644, ...extra };
}

export function absent(path: string): FileFacts {
  return { path, status: 'absent' };
}

/** Files keyed by their path. */
export function filesOf(...facts: FileFacts[]): HostSystemFacts['files'] {
  return Object.fromEntries(facts.map((fact) => [fact.path, fact]));
}

/** Audit rules: the live set and one persistent file (`docker.rules`) holding `persistent`. */
export function auditRules(live: string[] | string, persistent: string[] | string): HostSystemFacts['audit'] {
  return {
    live: typeof live === 'string' ? { unavailable: true, reason: live } : live,
    persistent: typeof persistent === 'string' ? { unavailable: true, reason: persistent } : [{ file: '/etc/audit/rules.d/docker.rules', lines: persistent }],
  };
}

/** The same audit rule line in each standard state, run through a rule: `[status, messageId]` for one subject. */
export function auditOutcomes(
  run: (audit: HostSystemFacts['audit']) => { subject: { name?: string }; status: string; messageId: string }[],
  subject: string,
  line: string,
): Record<'both' | 'filesOnly' | 'liveOnly' | 'none' | 'blind', [string, string]> {
  const states = {
    both: auditRules([line], [line]),
    filesOnly: auditRules([], [line]),
    liveOnly: auditRules([line], []),
    none: auditRules([], []),
    blind: auditRules('auditctl failed: You must be root', '/etc/audit/rules.d: permission denied (EACCES)'),
  };
  const outcome = (audit: HostSystemFacts['audit']): [string, string] => {
    const findings = run(audit).filter((finding) => finding.subject.name === subject);
    if (findings.length !== 1) throw new Error(`expected one finding for ${subject}, got ${findings.length}`);
    const [finding] = findings as [{ status: string; messageId: string }];
    return [finding.status, finding.messageId];
  };
  return {
    both: outcome(states.both),
    filesOnly: outcome(states.filesOnly),
    liveOnly: outcome(states.liveOnly),
    none: outcome(states.none),
    blind: outcome(states.blind),
  };
}
