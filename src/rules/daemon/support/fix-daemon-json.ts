/**
 * What the daemon rules ask of daemon.json, as a change to the file: the failing rule's setting
 * set or removed, every other key kept where it was. Pure: the caller reads and writes the file.
 * A setting that dockerd takes from its command line is left alone (dockerd refuses to start
 * when a setting is both a flag and in daemon.json) and said to be changed there instead; a
 * rule whose fix needs a decision (certificates, a log server, a uid map) gets a note, not a
 * guess.
 */
import type { DaemonConfigFacts } from '../../../snapshot/types.js';
import type { FixFinding as Finding, FixNote } from '../../shared/fix.js';

/** One change to daemon.json and the rule that asks for it. */
export interface DaemonJsonChange {
  ruleId: string;
  key: string;
  /** The new value; absent when the key is removed. */
  value?: unknown;
  /** The value the file had, if any. */
  previous?: unknown;
}


export interface DaemonJsonFix {
  /** The merged settings, in the file's key order, new keys last. */
  settings: Record<string, unknown>;
  changes: DaemonJsonChange[];
  notes: FixNote[];
}

export interface DaemonJsonFixFacts {
  /** The daemon's configuration as collected (origins of settings), when known. */
  config?: DaemonConfigFacts;
  /** Whether the daemon is a Swarm node: live-restore cannot be used with Swarm mode. */
  swarmActive: boolean;
}

type Planner = (settings: Record<string, unknown>) => { set?: Record<string, unknown>; remove?: string[]; note?: string };

/** The rules whose fix is a daemon.json setting, and that setting. */
const PLANNERS: Readonly<Record<string, Planner>> = {
  DA202: () => ({ set: { icc: false } }),
  DA203: (settings) => ({ set: { 'log-level': 'info', ...(settings['debug'] === true ? { debug: false } : {}) } }),
  DA204: () => ({ remove: ['iptables'] }),
  DA211: (settings) => {
    const options = Array.isArray(settings['storage-opts']) ? (settings['storage-opts'] as unknown[]) : [];
    // Matched as DA211 matches it: spaces and case aside.
    const kept = options.filter((option) => !(typeof option === 'string' && option.replace(/\s+/g, '').toLowerCase().startsWith('dm.basesize=')));
    return kept.length === 0 ? { remove: ['storage-opts'] } : { set: { 'storage-opts': kept } };
  },
  DA214: () => ({ set: { 'no-new-privileges': true } }),
  DA215: () => ({ set: { 'live-restore': true } }),
  DA216: () => ({ set: { 'userland-proxy': false } }),
  DA217: (settings) => (settings['seccomp-profile'] === 'unconfined' ? { remove: ['seccomp-profile'] } : { note: 'name a seccomp profile file in "seccomp-profile", or leave it unset for the default profile' }),
  DA218: () => ({ remove: ['experimental'] }),
};

/** The daemon.json key of a dockerd flag whose name differs from it. */
const FLAG_OF_KEY: Readonly<Record<string, string>> = { 'storage-opts': '--storage-opt', 'default-ulimits': '--default-ulimit' };

function actionable(finding: Finding): boolean {
  return finding.family === 'daemon' && finding.suppressed === undefined && (finding.status === 'fail' || finding.status === 'warn');
}

/**
 * daemon.json's `current` settings merged with what the failing daemon findings ask for. Each
 * rule is planned once, whatever the number of its findings.
 */
export function planDaemonJsonFix(current: Record<string, unknown>, findings: readonly Finding[], facts: DaemonJsonFixFacts): DaemonJsonFix {
  const settings: Record<string, unknown> = { ...current };
  const changes: DaemonJsonChange[] = [];
  const notes: FixNote[] = [];
  const done = new Set<string>();
  for (const finding of findings.filter(actionable)) {
    if (done.has(finding.ruleId)) continue;
    done.add(finding.ruleId);
    const planner = PLANNERS[finding.ruleId];
    if (planner === undefined) {
      notes.push({ ruleId: finding.ruleId, reason: `not a daemon.json setting to choose for you: ${finding.remediation ?? finding.title}` });
      continue;
    }
    if (finding.ruleId === 'DA215' && facts.swarmActive) {
      notes.push({ ruleId: 'DA215', reason: 'live-restore cannot be enabled on a Swarm node (dockerd refuses both): left unchanged' });
      continue;
    }
    const plan = planner(settings);
    if (plan.note !== undefined) notes.push({ ruleId: finding.ruleId, reason: plan.note });
    const keys = [...Object.keys(plan.set ?? {}), ...(plan.remove ?? [])];
    const fromFlags = keys.filter((key) => facts.config?.origin[key] === 'flag');
    if (fromFlags.length > 0) {
      const flags = fromFlags.map((key) => FLAG_OF_KEY[key] ?? `--${key}`).join(', ');
      notes.push({ ruleId: finding.ruleId, reason: `${flags} is given on dockerd's command line, which daemon.json cannot override (dockerd refuses a setting given both ways): change it where dockerd is started` });
      continue;
    }
    for (const [key, value] of Object.entries(plan.set ?? {})) {
      if (JSON.stringify(settings[key]) === JSON.stringify(value)) continue;
      changes.push({ ruleId: finding.ruleId, key, value, ...(key in settings ? { previous: settings[key] } : {}) });
      settings[key] = value;
    }
    for (const key of plan.remove ?? []) {
      if (!(key in settings)) continue;
      changes.push({ ruleId: finding.ruleId, key, previous: settings[key] });
      delete settings[key];
    }
  }
  return { settings, changes, notes };
}

/** The settings as daemon.json text, indented as the original was (two spaces when unknown). */
export function daemonJsonText(settings: Record<string, unknown>, original?: string): string {
  const indent = original === undefined ? '  ' : (/\n([ \t]+)"/.exec(original)?.[1] ?? '  ');
  return `${JSON.stringify(settings, null, indent)}\n`;
}
