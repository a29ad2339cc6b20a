/**
 * Host file facts for the CIS section 3 rule tests: a path as the collector records it.
 */
import type { FileFacts } from '../../../src/snapshot/host.js';

/** A present path, by default a root:root regular file with mode 0644. */
export function present(path: string, facts: Partial<FileFacts> = {}): FileFacts {
  return { path, status: 'present', type: 'file', uid: 0, gid: 0, owner: 'root', group: 'root', mode: 0o644, ...facts };
}

export function absent(path: string): FileFacts {
  return { path, status: 'absent' };
}

export function unreadable(path: string, reason = 'EACCES: permission denied'): FileFacts {
  return { path, status: 'unreadable', reason };
}

/** The `files` map of host facts, keyed by path. */
export function filesOf(...facts: FileFacts[]): Record<string, FileFacts> {
  return Object.fromEntries(facts.map((entry) => [entry.path, entry]));
}

/** A path owned by an ordinary user. */
export const ALICE: Partial<FileFacts> = { uid: 1000, gid: 1000, owner: 'alice', group: 'alice' };
