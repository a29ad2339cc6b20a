/**
 * What the container rules ask of a Compose file's services, as a `compose.override.yaml`: for
 * each service, the settings its failing findings call for, each under a comment naming the rule.
 * An override is merged over the file by `docker compose`: it can set a value or add to a list,
 * never take an entry out of one, so what needs an entry removed (a capability added, a port on
 * every interface) is a note for the file itself. Settings whose right value depends on the
 * service (memory, processes, CPU) are written as starting points marked "choose"; settings that
 * break a service that does not expect them (a read-only root filesystem, another user) are
 * written commented out, to be turned on once checked. Pure: the caller prints or writes it.
 */
import type { FixFinding as Finding, FixNote } from '../../shared/fix.js';

/** One setting for a service: its YAML lines (at the service's indentation + 2) and the rule asking. */
interface Setting {
  key: string;
  ruleId: string;
  alias: string;
  lines: string[];
  /** Written commented out: to turn on after checking the service. */
  commented?: string;
  /** A starting value to measure and adjust. */
  choose?: boolean;
}

export interface ComposeOverride {
  text: string;
  /** Services given at least one setting. */
  services: string[];
  notes: (FixNote & { service: string })[];
}

/** A YAML double-quoted scalar: JSON's escaping, plus the characters YAML would read as breaks or BOMs. */
export function yamlString(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text for a comment line: nothing that could end it. */
function commentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
}

const DEFAULT_MEMORY = '512m';

const ADD_BACK = 'cap_drop: [ALL] removes the default capabilities too: add back in cap_add only those the service uses (such as NET_BIND_SERVICE)';

type Planned = { settings?: Omit<Setting, 'ruleId' | 'alias'>[]; note?: string };

/** The settings (or the note) for one failing finding, by rule and message id. */
function planFor(finding: Finding, failingRules: Set<string>): Planned {
  switch (finding.ruleId) {
    case 'DA505':
      return { settings: [{ key: 'privileged', lines: ['privileged: false'] }] };
    case 'DA504':
    case 'DA518':
    case 'DA522':
      if (finding.ruleId === 'DA504') {
        const drop = { key: 'cap_drop', lines: ['cap_drop:', '  - ALL'] };
        // Without privileged, the capability rule asks next for the default set to be dropped.
        if (finding.messageId === 'privileged') return { settings: [{ key: 'privileged', lines: ['privileged: false'] }, drop], note: ADD_BACK };
        if (finding.messageId === 'dangerousAdded') return { settings: [drop], note: `${finding.message}: remove them from cap_add in the file itself (an override cannot take a list entry away)` };
        return { settings: [drop], note: ADD_BACK };
      }
      if (finding.messageId === 'privileged') return { settings: [{ key: 'privileged', lines: ['privileged: false'] }] };
      return { note: `${finding.message}: ${finding.remediation ?? finding.title} (in the file itself: an override cannot take a list entry away)` };
    case 'DA526':
      if (finding.messageId === 'disabledExplicitly') return { note: 'remove no-new-privileges:false from security_opt in the file itself (an override cannot take a list entry away)' };
      return { settings: [{ key: 'security_opt', lines: ['security_opt:', `  - ${yamlString('no-new-privileges:true')}`] }] };
    case 'DA511':
      return { settings: [{ key: 'mem_limit', lines: [`mem_limit: ${DEFAULT_MEMORY}`], choose: true }] };
    case 'DA551':
      // No swap above the memory limit: the same value for both.
      if (failingRules.has('DA511')) return { settings: [{ key: 'memswap_limit', lines: [`memswap_limit: ${DEFAULT_MEMORY}`], choose: true }] };
      return { note: `${finding.message}: set memswap_limit to the service's mem_limit` };
    case 'DA529':
      return { settings: [{ key: 'pids_limit', lines: ['pids_limit: 200'], choose: true }] };
    case 'DA512':
      return { settings: [{ key: 'cpus', lines: ['cpus: 1.0'], choose: true }] };
    case 'DA513':
      return {
        settings: [{ key: 'read_only', lines: ['read_only: true', 'tmpfs:', '  - /tmp'], commented: 'once the service is known to write only to its volumes and /tmp' }],
      };
    case 'DA533':
      return { settings: [{ key: 'user', lines: [`user: ${yamlString('10001:10001')}`], commented: 'with a uid:gid the image supports (files it writes must be owned by it)' }] };
    case 'DA554':
      if (finding.messageId !== 'uncapped') break;
      return { settings: [{ key: 'logging', lines: ['logging:', '  driver: json-file', '  options:', `    max-size: ${yamlString('10m')}`, `    max-file: ${yamlString('3')}`] }] };
    default:
      break;
  }
  return { note: `${finding.message}: ${finding.remediation ?? finding.title}` };
}

function actionable(finding: Finding): boolean {
  return finding.subject.kind === 'compose-service' && finding.suppressed === undefined && (finding.status === 'fail' || finding.status === 'warn');
}

/**
 * The override for the services of `file` (named in its header) from the findings of a lint of
 * it alone. Services come in the order the file defines them; each setting once per service.
 */
export function planComposeOverride(file: string, findings: readonly Finding[]): ComposeOverride {
  const relevant = findings.filter(actionable).sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0));
  const perService = new Map<string, { settings: Map<string, Setting>; rules: Set<string> }>();
  const notes: ComposeOverride['notes'] = [];
  for (const finding of relevant) {
    const service = finding.subject.name ?? '';
    let entry = perService.get(service);
    if (!entry) {
      entry = { settings: new Map(), rules: new Set() };
      perService.set(service, entry);
    }
    entry.rules.add(finding.ruleId);
  }
  for (const finding of relevant) {
    const service = finding.subject.name ?? '';
    const entry = perService.get(service)!;
    const planned = planFor(finding, entry.rules);
    if (planned.note !== undefined && !notes.some((note) => note.service === service && note.reason === planned.note)) notes.push({ ruleId: finding.ruleId, service, reason: planned.note });
    for (const setting of planned.settings ?? []) {
      if (!entry.settings.has(setting.key)) entry.settings.set(setting.key, { ...setting, ruleId: finding.ruleId, alias: finding.alias });
    }
  }
  const lines = [
    `# compose.override.yaml for ${commentText(file)}, written by dockaudit from its failing findings.`,
    '# docker compose merges it over the file beside it; each setting names the rule that asks for it.',
    '# Values marked "choose" are starting points: measure the service and adjust them.',
    'services:',
  ];
  const services: string[] = [];
  for (const [service, entry] of perService) {
    if (entry.settings.size === 0) continue;
    services.push(service);
    lines.push(`  ${yamlString(service)}:`);
    const settings = [...entry.settings.values()].sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
    for (const setting of settings) {
      lines.push(`    # ${setting.ruleId} ${setting.alias}${setting.choose ? ' (choose the value)' : ''}${setting.commented ? ` — uncomment ${setting.commented}` : ''}`);
      for (const line of setting.lines) lines.push(`    ${setting.commented ? '# ' : ''}${line}`);
    }
  }
  if (services.length === 0) lines.push('  {}', '# no failing finding of this file can be fixed by an override');
  const serviceNotes = notes.map((note) => `#   ${commentText(`${note.service}: ${note.ruleId}: ${note.reason}`)}`);
  if (serviceNotes.length > 0) lines.push('', '# To change in the file itself:', ...serviceNotes);
  return { text: `${lines.join('\n')}\n`, services, notes };
}
