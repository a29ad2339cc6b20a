/**
 * The findings a watch keeps between events, and what changed when some of them are judged
 * again. Pure: no I/O, no clock.
 */
import type { Finding } from '../engine/report.js';
import type { Status, Subject } from '../rules/types.js';

/** What happened to a finding: it appeared, went away, or says something else now. */
export type ChangeKind = 'new' | 'resolved' | 'changed';

export interface FindingChange {
  event: ChangeKind;
  /** The finding now (for `resolved`: as it was last seen). */
  finding: Finding;
}

/** The statuses a watch follows by default: what someone has to act on. */
export const DEFAULT_WATCHED_STATUSES: readonly Status[] = ['fail', 'warn', 'error'];

/** Subjects that are one workload each: a container's rules judge only its own. */
const WORKLOAD_KINDS = new Set<Subject['kind']>(['container', 'service', 'compose-service']);

export function isWorkloadSubject(subject: Subject): boolean {
  return WORKLOAD_KINDS.has(subject.kind);
}

/** A subject by what does not change when it is renamed: its id, else its name. */
export function subjectKey(subject: Subject): string {
  return `${subject.kind}\u0000${subject.id ?? subject.name ?? ''}`;
}

/**
 * A finding's identity across evaluations: rule, subject, location and message id. Findings of
 * one rule that share all four (a rule listing several mounts) are told apart by their order.
 */
function baseKey(finding: Finding): string {
  const location = finding.location;
  const where = location === undefined ? '' : `${location.file}:${location.line ?? ''}:${location.column ?? ''}`;
  return `${finding.ruleId}\u0000${subjectKey(finding.subject)}\u0000${where}\u0000${finding.messageId}`;
}

/** The findings keyed, in order; a repeated key gets `#2`, `#3`, … */
function keyed(findings: Iterable<Finding>): Map<string, Finding> {
  const result = new Map<string, Finding>();
  const seen = new Map<string, number>();
  for (const finding of findings) {
    const key = baseKey(finding);
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    result.set(count === 1 ? key : `${key}#${count}`, finding);
  }
  return result;
}

/**
 * The findings a watch follows, by subject then by key. Only findings with a watched status
 * that no ignore entry suppresses are kept: a finding that gets suppressed is resolved.
 */
export class FindingStore {
  private readonly bySubject = new Map<string, Map<string, Finding>>();
  private readonly statuses: ReadonlySet<Status>;

  constructor(statuses: readonly Status[] = DEFAULT_WATCHED_STATUSES) {
    this.statuses = new Set(statuses);
  }

  /** Whether a finding is one the watch follows. */
  follows(finding: Finding): boolean {
    return this.statuses.has(finding.status) && finding.suppressed === undefined;
  }

  /** How many findings are kept. */
  get size(): number {
    let size = 0;
    for (const findings of this.bySubject.values()) size += findings.size;
    return size;
  }

  /** Every finding kept. */
  *all(): Generator<Finding> {
    for (const findings of this.bySubject.values()) yield* findings.values();
  }

  /**
   * Replaces the findings that `covers` selects among those of the given subjects (every subject
   * when `subjects` is undefined) by `findings`, and returns what changed: new first, then
   * changed, then resolved.
   */
  replace(findings: Iterable<Finding>, covers: (finding: Finding) => boolean, subjects?: Iterable<string>): FindingChange[] {
    const incoming = new Map<string, Map<string, Finding>>();
    const grouped = new Map<string, Finding[]>();
    for (const finding of findings) {
      if (!this.follows(finding)) continue;
      const subject = subjectKey(finding.subject);
      const list = grouped.get(subject);
      if (list === undefined) grouped.set(subject, [finding]);
      else list.push(finding);
    }
    for (const [subject, list] of grouped) incoming.set(subject, keyed(list));
    const touched = new Set<string>(subjects ?? this.bySubject.keys());
    for (const subject of incoming.keys()) touched.add(subject);
    const added: FindingChange[] = [];
    const changed: FindingChange[] = [];
    const resolved: FindingChange[] = [];
    for (const subject of touched) {
      const before = this.bySubject.get(subject) ?? new Map<string, Finding>();
      const after = incoming.get(subject) ?? new Map<string, Finding>();
      const kept = new Map<string, Finding>();
      for (const [key, finding] of before) {
        if (!covers(finding)) {
          kept.set(key, finding);
          continue;
        }
        const now = after.get(key);
        if (now === undefined) resolved.push({ event: 'resolved', finding });
        else if (JSON.stringify(now) !== JSON.stringify(finding)) changed.push({ event: 'changed', finding: now });
      }
      for (const [key, finding] of after) {
        if (!before.has(key)) added.push({ event: 'new', finding });
        kept.set(key, finding);
      }
      if (kept.size === 0) this.bySubject.delete(subject);
      else this.bySubject.set(subject, kept);
    }
    return [...added, ...changed, ...resolved];
  }
}
