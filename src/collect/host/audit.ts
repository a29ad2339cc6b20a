/**
 * Linux audit rules: the live set the kernel holds (`auditctl -l`, on this machine only) and
 * the persistent rule files auditd loads at boot. The paths they name are looked at too, so
 * rules can compare them with where Docker's files really are.
 */
import { auditedPaths } from '../../parsers/audit-rules.js';
import type { AuditRuleSources } from '../../snapshot/host.js';
import type { HostContext } from './context.js';
import { runTool, type ToolOptions } from './tools.js';

const RULES_DIRECTORY = '/etc/audit/rules.d';
const RULES_FILE = '/etc/audit/audit.rules';
/** Paths named by audit rules that are looked at; a rule set larger than this is unusual. */
const MAX_RULE_PATHS = 500;

function ruleLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

async function persistentRules(context: HostContext): Promise<AuditRuleSources['persistent']> {
  const files: { file: string; lines: string[] }[] = [];
  const directory = await context.list(RULES_DIRECTORY);
  if (directory.status === 'unreadable') return { unavailable: true, reason: `${RULES_DIRECTORY}: ${directory.reason}` };
  if (directory.status === 'read') {
    for (const name of directory.names.filter((entry) => entry.endsWith('.rules'))) {
      const path = `${RULES_DIRECTORY}/${name}`;
      const read = await context.read(path);
      if (read.status === 'unreadable') return { unavailable: true, reason: `${path}: ${read.reason}` };
      if (read.status === 'read') files.push({ file: path, lines: ruleLines(read.text) });
    }
  }
  const compiled = await context.read(RULES_FILE);
  if (compiled.status === 'unreadable') return { unavailable: true, reason: `${RULES_FILE}: ${compiled.reason}` };
  if (compiled.status === 'read') files.push({ file: RULES_FILE, lines: ruleLines(compiled.text) });
  return files;
}

/**
 * The live rule set, as `auditctl -l` prints it. It depends on nothing else collected, so the
 * host collection starts it first, while the files are read and the daemon answers.
 */
export async function liveRules(context: HostContext, tool: Partial<ToolOptions>): Promise<AuditRuleSources['live']> {
  if (!context.isThisMachine) {
    return { unavailable: true, reason: `the live audit rules are those of the machine dockaudit runs on, not of the host at ${context.fs.root}` };
  }
  const run = await runTool('auditctl', ['-l'], { timeoutMs: 10_000, maxBytes: 4 * 1024 * 1024, ...tool });
  if (!run.ok) return { unavailable: true, reason: run.reason };
  const lines = ruleLines(run.stdout);
  return lines.length === 1 && lines[0] === 'No rules' ? [] : lines;
}

/** Both rule sets, and the facts of every path they name; `live` is the live set when already asked for. */
export async function collectAudit(
  context: HostContext,
  tool: Partial<ToolOptions> = {},
  live: Promise<AuditRuleSources['live']> = liveRules(context, tool),
): Promise<AuditRuleSources> {
  const persistent = await persistentRules(context);
  const liveSet = await live;
  if ('unavailable' in liveSet) context.note(`live audit rules: ${liveSet.reason}`);
  if ('unavailable' in persistent) context.note(`persistent audit rules: ${persistent.reason}`);
  const lines = [...('unavailable' in liveSet ? [] : liveSet), ...('unavailable' in persistent ? [] : persistent.flatMap((file) => file.lines))];
  const paths = [...new Set(lines.flatMap((line) => auditedPaths(line).map((rule) => rule.path)))];
  for (const path of paths.slice(0, MAX_RULE_PATHS)) await context.look(path);
  if (paths.length > MAX_RULE_PATHS) context.note(`audit rules name ${paths.length} paths; only the first ${MAX_RULE_PATHS} were looked at`);
  return { live: liveSet, persistent };
}
