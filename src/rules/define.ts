/**
 * Helpers that keep most rules to a few lines: `defineRule` for the raw check,
 * `forEachWorkload` and `forDaemon` for the common shapes.
 */
import type * as z from '../zod.js';
import { isUnavailable, type DaemonConfigFacts, type DaemonFacts } from '../snapshot/types.js';
import type { Workload } from '../views/workload.js';
import type { FindingDetails, Rule, RuleContext, RuleMeta, RuleResult, Severity, Status, Subject } from './types.js';

export function defineRule<Messages extends string, Options = Record<string, never>>(rule: {
  meta: RuleMeta<Messages>;
  options?: z.ZodMiniType<Options>;
  check(context: RuleContext<Options>): RuleResult[];
}): Rule<Options, Messages> {
  return rule;
}

const subjects = new WeakMap<Workload, Subject>();

/**
 * The subject of a workload, as findings name it. One object per workload, shared by every
 * finding about it: a large host yields tens of thousands of findings.
 */
export function workloadSubject(workload: Workload): Subject {
  let subject = subjects.get(workload);
  if (subject === undefined) {
    subject = workload.id ? { kind: workload.kind, id: workload.id, name: workload.name } : { kind: workload.kind, name: workload.name };
    subjects.set(workload, subject);
  }
  return subject;
}

/** What a per-subject check returns: a status, the message to use and its data. */
export interface Verdict<Messages extends string> {
  status: Status;
  messageId: Messages;
  data?: Record<string, string | number | undefined>;
  /** Key of the workload whose location the finding points at (`privileged`, `ports`). */
  key?: string;
  severity?: Severity;
  /** Structured data for the finding's `details` (see RuleResult.details). */
  details?: FindingDetails;
}

/**
 * Runs `verdict` for every workload. Return one verdict, several, or none
 * (none means the rule does not apply to that workload and nothing is reported).
 */
export function forEachWorkload<Messages extends string, Options>(
  verdict: (workload: Workload, context: RuleContext<Options>) => Verdict<Messages> | Verdict<Messages>[] | undefined,
): (context: RuleContext<Options>) => RuleResult[] {
  return (context) => {
    const results: RuleResult[] = [];
    for (const workload of context.workloads) {
      const produced = verdict(workload, context);
      if (produced === undefined) continue;
      if (Array.isArray(produced)) for (const item of produced) results.push(workloadResult(workload, item));
      else results.push(workloadResult(workload, produced));
    }
    return results;
  };
}

function workloadResult(workload: Workload, item: Verdict<string>): RuleResult {
  const result: RuleResult = { subject: workloadSubject(workload), status: item.status, messageId: item.messageId };
  if (item.data) result.data = item.data;
  const location = (item.key && workload.keyLocations?.[item.key]) || workload.location;
  if (location) result.location = location;
  if (item.severity) result.severity = item.severity;
  if (item.details) result.details = item.details;
  return result;
}

export const DAEMON_SUBJECT: Subject = { kind: 'daemon', name: 'dockerd' };

/**
 * Runs `verdict` once over the daemon. The engine has already turned an unreachable daemon
 * into `skipped`, so `daemon` is always present here; `config` is undefined when the daemon's
 * local configuration could not be read.
 */
export function forDaemon<Messages extends string, Options>(
  verdict: (
    daemon: DaemonFacts,
    config: DaemonConfigFacts | undefined,
    context: RuleContext<Options>,
  ) => Verdict<Messages> | Verdict<Messages>[],
): (context: RuleContext<Options>) => RuleResult[] {
  return (context) => {
    const daemon = context.snapshot.daemon;
    if (isUnavailable(daemon)) return [];
    const config = isUnavailable(daemon.config) ? undefined : daemon.config;
    const produced = verdict(daemon, config, context);
    return (Array.isArray(produced) ? produced : [produced]).map((item) => ({
      subject: DAEMON_SUBJECT,
      status: item.status,
      messageId: item.messageId,
      ...(item.data ? { data: item.data } : {}),
      ...(item.severity ? { severity: item.severity } : {}),
    }));
  };
}

/** A list for messages: `a, b, c`, or `none`. */
export function listOf(items: readonly string[]): string {
  return items.length === 0 ? 'none' : items.join(', ');
}
