/**
 * The shape of the host rules that judge the machine as a whole: one finding whose subject
 * is the host, from its system facts. Kept out of the rule folder's top level because every
 * `.ts` file there is one rule.
 */
import type { HostSystemFacts } from '../../../snapshot/host.js';
import { isUnavailable, type Snapshot } from '../../../snapshot/types.js';
import type { Verdict } from '../../define.js';
import type { RuleContext, RuleResult, Subject } from '../../types.js';

/** The audited host as a finding's subject. */
export function hostSubject(snapshot: Snapshot): Subject {
  return { kind: 'host', name: snapshot.host.hostname };
}

/** The host's system facts, or undefined when they were not collected. */
export function hostSystemOf(snapshot: Snapshot): HostSystemFacts | undefined {
  const system = snapshot.host.system;
  return system === undefined || isUnavailable(system) ? undefined : system;
}

/**
 * Runs `verdict` once over the host's system facts. Rules using it need 'host', so the engine
 * has already reported `skipped` when the facts are not there.
 */
export function forHost<Messages extends string, Options>(
  verdict: (system: HostSystemFacts, context: RuleContext<Options>) => Verdict<Messages> | Verdict<Messages>[],
): (context: RuleContext<Options>) => RuleResult[] {
  return (context) => {
    const system = hostSystemOf(context.snapshot);
    if (system === undefined) return [];
    const produced = verdict(system, context);
    return (Array.isArray(produced) ? produced : [produced]).map((item) => ({
      subject: hostSubject(context.snapshot),
      status: item.status,
      messageId: item.messageId,
      ...(item.data ? { data: item.data } : {}),
      ...(item.severity ? { severity: item.severity } : {}),
    }));
  };
}
