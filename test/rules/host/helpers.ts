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
