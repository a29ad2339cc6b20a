/**
 * Owner and mode checks over host file facts, shared by the CIS section 3 rules: each rule
 * names the paths it looks at and what it expects, these helpers turn the facts into findings.
 * Kept out of the rule folder's top level because every `.ts` file there is one rule.
 */
import type { FileFacts, GroupEntry, HostSystemFacts, UserEntry } from '../../../snapshot/host.js';
import { isUnavailable } from '../../../snapshot/types.js';
import { defineRule } from '../../define.js';
import type { Rule, RuleContext, RuleMeta, RuleResult, Status } from '../../types.js';
import { factsOf } from './paths.js';

/** The owner a path must have: a user and the groups accepted, the first one being the one messages name. */
export interface Ownership {
  user: string;
  groups: readonly string[];
}

export const ROOT_ROOT: Ownership = { user: 'root', groups: ['root'] };

type Data = Record<string, string | number | undefined>;

/**
 * What a rule looks at: host paths to check one by one, a thing that is not there at all
 * (reported with the rule's `absent` message), or a finding of the rule's own when there is
 * nothing to check (TLS not configured, the daemon listening on TCP only...).
 */
export type Targets<Messages extends string> =
  | { paths: string[] }
  | { absent: { subject: string; path: string } }
  | { verdict: { subject: string; status: Status; messageId: Messages; data?: Data } };

/** The rule's message ids for each outcome of a path check. */
export interface PathMessages<Messages extends string> {
  /** The path is as expected. */
  ok: Messages;
  /** The path is not as expected. */
  wrong: Messages;
  /** The path does not exist. */
  absent: Messages;
  /** The path could not be examined (unreadable, not looked at, a symbolic link). */
  unseen: Messages;
}

/** A mode as `ls`-style octal with four digits: `0644`, `4755`. */
export function formatMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

const BIT_NAMES: readonly [number, string][] = [
  [0o4000, 'setuid'],
  [0o2000, 'setgid'],
  [0o1000, 'sticky'],
  [0o400, 'owner read'],
  [0o200, 'owner write'],
  [0o100, 'owner execute'],
  [0o040, 'group read'],
  [0o020, 'group write'],
  [0o010, 'group execute'],
  [0o004, 'others read'],
  [0o002, 'others write'],
  [0o001, 'others execute'],
];

/**
 * Whether `mode` grants nothing beyond `allowed`: "this mode or more restrictive" compares
 * bits, not numbers (0466 is below 0644 as a number yet lets everyone write). Setuid, setgid
 * and sticky are never in an allowed mask, so any of them fails.
 */
export function modeWithin(mode: number, allowed: number): boolean {
  return (mode & 0o7777 & ~allowed) === 0;
}

/** The permission bits of `mode` beyond `allowed`, in words: `group write, setuid`. */
export function excessBits(mode: number, allowed: number): string {
  const excess = mode & 0o7777 & ~allowed;
  return BIT_NAMES.filter(([bit]) => (excess & bit) !== 0)
    .map(([, name]) => name)
    .join(', ');
}

function idOfUser(users: UserEntry[] | undefined, name: string): number | undefined {
  if (name === 'root') return 0;
  return users?.find((user) => user.name === name)?.uid;
}

function idOfGroup(groups: GroupEntry[] | undefined, name: string): number | undefined {
  if (name === 'root') return 0;
  return groups?.find((group) => group.name === name)?.gid;
}

/** `owner:group` as the facts name them, numeric ids where a name did not resolve. */
export function describeOwner(facts: FileFacts): string {
  return `${facts.owner ?? String(facts.uid)}:${facts.group ?? String(facts.gid)}`;
}

/** Whether the path's owner is the expected user and its group one of the accepted groups. */
export function ownerMatches(facts: FileFacts, expected: Ownership, system: HostSystemFacts): boolean {
  const users = isUnavailable(system.users) ? undefined : system.users;
  const groups = isUnavailable(system.groups) ? undefined : system.groups;
  const userOk = facts.owner !== undefined ? facts.owner === expected.user : facts.uid === idOfUser(users, expected.user);
  const groupOk = expected.groups.some((name) =>
    facts.group !== undefined ? facts.group === name : facts.gid !== undefined && facts.gid === idOfGroup(groups, name),
  );
  return userOk && groupOk;
}

/** Why a path's facts cannot be judged, or undefined when owner and mode are there. */
function unseenReason(facts: FileFacts | undefined): string | undefined {
  if (facts === undefined) return 'the collector did not examine it';
  if (facts.status === 'unreadable') return facts.reason ?? 'it is not readable';
  if (facts.type === 'symlink') return 'it is a symbolic link whose target was not recorded';
  if (facts.uid === undefined || facts.gid === undefined || facts.mode === undefined) return 'its owner and mode were not recorded';
  return undefined;
}

/**
 * What a check judges for a path: the path itself, or for a symbolic link the file it leads to
 * (the daemon reads through the link, and a link's own mode is always 0777), named `link -> target`.
 */
function judgedFacts(facts: FileFacts | undefined, path: string): { facts: FileFacts | undefined; shown: string } {
  if (facts?.status === 'present' && facts.type === 'symlink' && facts.target !== undefined) {
    return { facts: facts.target, shown: `${facts.path} -> ${facts.target.path}` };
  }
  return { facts, shown: facts?.path ?? path };
}

/** The host's system facts; rules using these helpers need 'host', so the engine has skipped them otherwise. */
function systemOf<Options>(context: RuleContext<Options>): HostSystemFacts | undefined {
  const system = context.snapshot.host.system;
  return system === undefined || isUnavailable(system) ? undefined : system;
}

function hostSubject(name: string): RuleResult['subject'] {
  return { kind: 'host', name };
}

function checkPaths<Messages extends string, Options>(
  context: RuleContext<Options>,
  targets: (system: HostSystemFacts, context: RuleContext<Options>) => Targets<Messages>,
  messages: PathMessages<Messages>,
  judge: (facts: FileFacts, shown: string, system: HostSystemFacts) => { status: Status; messageId: Messages; data: Data },
): RuleResult[] {
  const system = systemOf(context);
  if (system === undefined) return [];
  const chosen = targets(system, context);
  if ('verdict' in chosen) {
    const { subject, ...verdict } = chosen.verdict;
    return [{ subject: hostSubject(subject), ...verdict }];
  }
  if ('absent' in chosen) {
    return [{ subject: hostSubject(chosen.absent.subject), status: 'skipped', messageId: messages.absent, data: { path: chosen.absent.path } }];
  }
  return chosen.paths.map((path): RuleResult => {
    const seen = factsOf(system, path);
    const subject = hostSubject(seen?.path ?? path);
    const { facts, shown } = judgedFacts(seen, path);
    if (facts?.status === 'absent') {
      return { subject, status: 'skipped', messageId: messages.absent, data: { path: shown } };
    }
    const reason = unseenReason(facts);
    if (reason !== undefined || facts === undefined) {
      return { subject, status: 'skipped', messageId: messages.unseen, data: { path: shown, reason } };
    }
    return { subject, ...judge(facts, shown, system) };
  });
}

/** A check that every target path is owned as expected. */
export function ownerCheck<Messages extends string, Options>(spec: {
  targets: (system: HostSystemFacts, context: RuleContext<Options>) => Targets<Messages>;
  /** The expected ownership, fixed or read from the snapshot (the socket's group). */
  expected: Ownership | ((system: HostSystemFacts, context: RuleContext<Options>) => Ownership);
  messages: PathMessages<Messages>;
}): (context: RuleContext<Options>) => RuleResult[] {
  return (context) =>
    checkPaths(context, spec.targets, spec.messages, (facts, shown, system) => {
      const expected = typeof spec.expected === 'function' ? spec.expected(system, context) : spec.expected;
      const data = {
        path: shown,
        owner: describeOwner(facts),
        expected: `${expected.user}:${expected.groups.join(' or ')}`,
      };
      return ownerMatches(facts, expected, system)
        ? { status: 'pass', messageId: spec.messages.ok, data }
        : { status: 'fail', messageId: spec.messages.wrong, data };
    });
}

/** A check that no target path grants a permission bit beyond `allowed`. */
export function modeCheck<Messages extends string, Options>(spec: {
  targets: (system: HostSystemFacts, context: RuleContext<Options>) => Targets<Messages>;
  allowed: number;
  messages: PathMessages<Messages>;
}): (context: RuleContext<Options>) => RuleResult[] {
  return (context) =>
    checkPaths(context, spec.targets, spec.messages, (facts, shown) => {
      const mode = facts.mode ?? 0;
      const data = { path: shown, mode: formatMode(mode), allowed: formatMode(spec.allowed), extra: excessBits(mode, spec.allowed) };
      return modeWithin(mode, spec.allowed)
        ? { status: 'pass', messageId: spec.messages.ok, data }
        : { status: 'fail', messageId: spec.messages.wrong, data };
    });
}

const OWNER_MESSAGES = {
  owned: '{{path}} is owned by {{owner}}',
  wrongOwner: '{{path}} is owned by {{owner}}, expected {{expected}}',
  notPresent: '{{path}} is not present',
  notSeen: '{{path}} could not be examined: {{reason}}',
} as const;

const MODE_MESSAGES = {
  modeOk: '{{path}} has mode {{mode}}, within {{allowed}}',
  tooOpen: '{{path}} has mode {{mode}}, expected {{allowed}} or stricter (extra: {{extra}})',
  notPresent: '{{path}} is not present',
  notSeen: '{{path}} could not be examined: {{reason}}',
} as const;

type OwnerMessage = keyof typeof OWNER_MESSAGES;
type ModeMessage = keyof typeof MODE_MESSAGES;

/** What a section 3 rule says of itself; the family and the path messages are the same for all of them. */
type PathRuleMeta = Omit<RuleMeta, 'family' | 'messages'>;

type TargetsOf<Messages extends string> = (system: HostSystemFacts, context: RuleContext<Record<string, never>>) => Targets<Messages>;

/**
 * A rule that checks who owns some host paths: the rule gives its meta, the paths and the owner
 * expected; the messages for each outcome are the family's, plus any the targets use
 * (`notConfigured` when there is nothing to check).
 */
export function ownerRule<Extra extends string = never>(spec: {
  meta: PathRuleMeta;
  extraMessages?: Record<Extra, string>;
  targets: TargetsOf<OwnerMessage | Extra>;
  expected: Ownership | ((system: HostSystemFacts, context: RuleContext<Record<string, never>>) => Ownership);
}): Rule<Record<string, never>, OwnerMessage | Extra> {
  return defineRule({
    meta: { ...spec.meta, family: 'files', messages: { ...OWNER_MESSAGES, ...spec.extraMessages } as Record<OwnerMessage | Extra, string> },
    check: ownerCheck({
      targets: spec.targets,
      expected: spec.expected,
      messages: { ok: 'owned', wrong: 'wrongOwner', absent: 'notPresent', unseen: 'notSeen' },
    }),
  });
}

/** A rule that checks that some host paths grant nothing beyond `allowed`; messages as for `ownerRule`. */
export function modeRule<Extra extends string = never>(spec: {
  meta: PathRuleMeta;
  extraMessages?: Record<Extra, string>;
  targets: TargetsOf<ModeMessage | Extra>;
  allowed: number;
}): Rule<Record<string, never>, ModeMessage | Extra> {
  return defineRule({
    meta: { ...spec.meta, family: 'files', messages: { ...MODE_MESSAGES, ...spec.extraMessages } as Record<ModeMessage | Extra, string> },
    check: modeCheck({
      targets: spec.targets,
      allowed: spec.allowed,
      messages: { ok: 'modeOk', wrong: 'tooOpen', absent: 'notPresent', unseen: 'notSeen' },
    }),
  });
}
