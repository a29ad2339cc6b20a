/**
 * Whether a Docker file is audited, shared by the audit rules of CIS 1.1.3–1.1.18. A rule
 * counts when it watches the path (`-w`) or filters on it (`-F path=` / `-F dir=`), directly
 * or through a directory above it, records changes (`w` or `a` among its permissions), in the
 * live rule set or in the persistent rule files; both are compared on resolved paths.
 */
import { auditedPaths, recordsChanges, ruleCovers } from '../../../parsers/audit-rules.js';
import type { HostSystemFacts } from '../../../snapshot/host.js';
import { isUnavailable, type Snapshot } from '../../../snapshot/types.js';
import type { RuleContext, RuleResult, Status } from '../../types.js';
import { existence, factsOf, hostSubject, realPathOf, systemOf, withoutVarRun } from './host-facts.js';

/** One thing a rule wants audited, at the place it really is on this host. */
export type AuditTarget =
  /** A host path. */
  | { path: string; what: string; control: string }
  /** A binary, located by the collector (`binaries`). */
  | { binary: string; what: string; control: string }
  /** A place that could not be determined, and why. */
  | { unknown: string; name: string; what: string; control: string }
  /** Something the collector looked for everywhere and did not find (a unit), by name. */
  | { absent: string; what: string; control: string };

/** The rule's message ids for each outcome. */
export interface AuditMessageIds<Messages extends string> {
  /** Loaded now and in a rule file (or one of them, the other being unreadable). */
  audited: Messages;
  /** In a rule file but not in the live rule set. */
  notLoaded: Messages;
  /** In the live rule set only: lost at the next reboot. */
  notPersistent: Messages;
  /** No rule records it. */
  notAudited: Messages;
  /** The path does not exist here. */
  notPresent: Messages;
  /** The rules, or the path, could not be seen. */
  notVisible: Messages;
  /** A binary that is nowhere on this host (only for rules with binary targets). */
  notFound?: Messages;
}

type Data = Record<string, string | number | undefined>;

/** The first live rule line that records changes to `target`. */
function liveMatch(system: HostSystemFacts, lines: string[], target: string): string | undefined {
  return lines.find((line) => lineCovers(system, line, target));
}

function lineCovers(system: HostSystemFacts, line: string, target: string): boolean {
  return auditedPaths(line).some((rule) => {
    if (!recordsChanges(rule)) return false;
    // A watch on a link records the link, not the file it leads to: only its directories are resolved.
    const facts = factsOf(system, rule.path);
    const rulePath = facts?.type === 'symlink' ? withoutVarRun(rule.path) : realPathOf(system, rule.path);
    return ruleCovers(rule, rulePath, target);
  });
}

/** Where the rule was found in the persistent files: `file:line`. */
function persistentMatch(system: HostSystemFacts, files: { file: string; lines: string[] }[], target: string): string | undefined {
  for (const file of files) {
    const index = file.lines.findIndex((line) => lineCovers(system, line, target));
    if (index !== -1) return `${file.file} (${file.lines[index] as string})`;
  }
  return undefined;
}

function verdict<Messages extends string>(
  system: HostSystemFacts,
  path: string,
  base: Data,
  ids: AuditMessageIds<Messages>,
): { status: Status; messageId: Messages; data: Data } {
  const real = realPathOf(system, path);
  const shown = real === withoutVarRun(path) ? path : `${path} (${real})`;
  const data = { ...base, path: shown };
  const { live, persistent } = system.audit;
  const inLive = isUnavailable(live) ? undefined : liveMatch(system, live, real);
  const inFiles = isUnavailable(persistent) ? undefined : persistentMatch(system, persistent, real);
  const exists = existence(factsOf(system, path));
  if (exists === false) return { status: 'skipped', messageId: ids.notPresent, data };

  if (inLive !== undefined && inFiles !== undefined) {
    return { status: 'pass', messageId: ids.audited, data: { ...data, where: `loaded (${inLive}) and in ${inFiles}` } };
  }
  if (inLive !== undefined) {
    if (isUnavailable(persistent)) {
      return { status: 'pass', messageId: ids.audited, data: { ...data, where: `loaded (${inLive}); the rule files could not be read: ${persistent.reason}` } };
    }
    return { status: 'warn', messageId: ids.notPersistent, data: { ...data, where: inLive } };
  }
  if (inFiles !== undefined) {
    if (isUnavailable(live)) {
      return { status: 'pass', messageId: ids.audited, data: { ...data, where: `in ${inFiles}; the live rule set is not visible: ${live.reason}` } };
    }
    return { status: 'warn', messageId: ids.notLoaded, data: { ...data, where: inFiles } };
  }
  if (isUnavailable(live) && isUnavailable(persistent)) {
    return { status: 'skipped', messageId: ids.notVisible, data: { ...data, reason: `live rules: ${live.reason}; rule files: ${persistent.reason}` } };
  }
  if (exists !== true) {
    return { status: 'skipped', messageId: ids.notVisible, data: { ...data, reason: `no rule records it, and whether it exists is unknown: ${exists}` } };
  }
  const looked = isUnavailable(live)
    ? `searched the rule files; the live rule set is not visible: ${live.reason}`
    : isUnavailable(persistent)
      ? `searched the live rule set; the rule files could not be read: ${persistent.reason}`
      : persistent.length === 0
        ? 'searched the live rule set; there are no rule files'
        : `searched the live rule set and ${persistent.map((file) => file.file).join(', ')}`;
  return { status: 'fail', messageId: ids.notAudited, data: { ...data, looked } };
}

/**
 * A check over the rule's audit targets: one finding per target, which decides that target's
 * CIS control alone.
 */
export function auditCheck<Messages extends string, Options>(
  targets: (snapshot: Snapshot, system: HostSystemFacts) => AuditTarget[],
  ids: AuditMessageIds<Messages>,
): (context: RuleContext<Options>) => RuleResult[] {
  return (context) => {
    const system = systemOf(context.snapshot);
    if (system === undefined) return [];
    return targets(context.snapshot, system).map((target): RuleResult => ({ ...targetResult(target, system, ids), decides: [target.control] }));
  };
}

/** The finding about one audit target, named by its path (or by the binary's name when it is nowhere). */
function targetResult<Messages extends string>(target: AuditTarget, system: HostSystemFacts, ids: AuditMessageIds<Messages>): RuleResult {
  const base = { what: target.what, control: target.control };
  if ('unknown' in target) {
    return { subject: hostSubject(target.name), status: 'skipped', messageId: ids.notVisible, data: { ...base, path: target.name, reason: target.unknown } };
  }
  if ('absent' in target) {
    return { subject: hostSubject(target.absent), status: 'skipped', messageId: ids.notPresent, data: { ...base, path: target.absent } };
  }
  if ('binary' in target) {
    const located = system.binaries[target.binary];
    if (located === undefined) {
      if (ids.notFound === undefined) throw new Error(`rule has a binary target (${target.binary}) but no notFound message`);
      return { subject: hostSubject(target.binary), status: 'skipped', messageId: ids.notFound, data: { ...base, path: target.binary } };
    }
    return { subject: hostSubject(located), ...verdict(system, located, base, ids) };
  }
  return { subject: hostSubject(target.path), ...verdict(system, target.path, base, ids) };
}

/** The messages of the audit-rule checks (CIS 1.1.3–1.1.18), shared so that they all read alike. */
export const AUDIT_MESSAGES = {
  audited: '{{what}} {{path}} is audited (CIS {{control}}): {{where}}',
  notLoaded: '{{what}} {{path}} has a rule in {{where}} but it is not loaded: auditd is not running or its rules were not reloaded (CIS {{control}})',
  notPersistent: '{{what}} {{path}} is audited only by a loaded rule ({{where}}) that no rule file holds: it is lost at the next reboot (CIS {{control}})',
  notAudited: 'no audit rule records changes to {{what}} {{path}} (CIS {{control}}; {{looked}})',
  notPresent: '{{what}} {{path}} does not exist on this host (CIS {{control}})',
  notVisible: 'whether {{what}} {{path}} is audited cannot be seen (CIS {{control}}): {{reason}}',
} as const;

/** The same, for rules whose targets include binaries that may be nowhere on the host. */
export const BINARY_AUDIT_MESSAGES = {
  ...AUDIT_MESSAGES,
  notFound: 'no {{path}} binary was found on this host: not named by the daemon or its unit, nor on the system PATH (CIS {{control}})',
} as const;

const AUDIT_IDS: AuditMessageIds<keyof typeof AUDIT_MESSAGES> = {
  audited: 'audited',
  notLoaded: 'notLoaded',
  notPersistent: 'notPersistent',
  notAudited: 'notAudited',
  notPresent: 'notPresent',
  notVisible: 'notVisible',
};

/** `auditCheck` with the shared messages; `binaries` for rules with binary targets. */
export function auditRuleCheck<Options>(
  targets: (snapshot: Snapshot, system: HostSystemFacts) => AuditTarget[],
  binaries = false,
): (context: RuleContext<Options>) => RuleResult[] {
  return auditCheck<keyof typeof BINARY_AUDIT_MESSAGES, Options>(targets, binaries ? { ...AUDIT_IDS, notFound: 'notFound' } : AUDIT_IDS);
}
