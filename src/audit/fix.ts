/**
 * `dockaudit fix` as a library: files that do what failing findings ask, generated from a
 * snapshot (collected, or given) and the findings of the rules concerned. Nothing here writes:
 * each function returns the text, what changed and why, and the caller decides where it goes.
 * The knowledge of what each rule asks lives beside the rules (`support/fix-*.ts`).
 */
import { lstat, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { DEFAULT_CONFIG, type Config } from '../engine/config.js';
import type { Finding } from '../engine/report.js';
import { runRules } from '../engine/run.js';
import { CollectionError, ConfigError, UsageError, describeError } from '../errors.js';
import { planComposeOverride, type ComposeOverride } from '../rules/container/support/fix-compose.js';
import { daemonJsonText, planDaemonJsonFix, type DaemonJsonChange } from '../rules/daemon/support/fix-daemon-json.js';
import { isAuditRuleCheck, planAuditRules, type AuditRulesFile } from '../rules/host/support/fix-audit-rules.js';
import { loadRules } from '../rules/registry.js';
import type { FixNote } from '../rules/shared/fix.js';
import { isUnavailable, type Snapshot } from '../snapshot/types.js';
import { VERSION } from '../version.js';
import { lint, snapshot as collectSnapshot } from './pipeline.js';
import type { FileOptions, SnapshotOptions } from './types.js';

export type { AuditRulesFile, ComposeOverride, DaemonJsonChange, FixNote };

/** The largest daemon.json read, as the collector reads it. */
const DAEMON_JSON_BYTES = 1024 * 1024;
const DEFAULT_DAEMON_JSON = '/etc/docker/daemon.json';

export interface FixHostOptions extends SnapshotOptions {
  /** Plan from this snapshot instead of collecting one. */
  snapshot?: Snapshot;
}

async function snapshotOf(options: FixHostOptions): Promise<Snapshot> {
  return options.snapshot ?? (await collectSnapshot(options));
}

function findingsOf(snapshot: Snapshot, rules: Awaited<ReturnType<typeof loadRules>>, config: Config | undefined): Finding[] {
  return runRules(snapshot, rules, config ?? DEFAULT_CONFIG, { toolVersion: VERSION }).findings;
}

export interface DaemonJsonFixOptions extends FixHostOptions {
  /** The daemon.json to merge into; default the one the daemon reads (under `hostRoot`). */
  file?: string;
}

export interface DaemonJsonFixResult {
  /** The file merged into (and to write, if asked). */
  path: string;
  /** Its text as read; undefined when it does not exist yet. */
  original?: string;
  /** The merged file. */
  text: string;
  changes: DaemonJsonChange[];
  notes: FixNote[];
}

/**
 * How deep a daemon.json may nest to be merged into (dockerd's own settings nest three levels):
 * well within what the recursive serialiser that writes the merged file can take.
 */
const DAEMON_JSON_MAX_DEPTH = 1000;

/**
 * How deep `text` nests arrays and objects, counted in one pass (brackets inside strings are
 * not counted): the merged file is written by a recursive serialiser, which a document nested
 * hundreds of thousands deep would overflow.
 */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 92) index += 1;
      else if (code === 34) inString = false;
    } else if (code === 34) inString = true;
    else if (code === 91 || code === 123) {
      depth += 1;
      if (depth > deepest) deepest = depth;
    } else if (code === 93 || code === 125) depth -= 1;
  }
  return deepest;
}

/** Reads daemon.json as dockerd would: a JSON object, or an error that leaves the file alone. */
async function readDaemonJson(path: string): Promise<{ text?: string; settings: Record<string, unknown> }> {
  let text: string;
  try {
    const info = await lstat(path);
    if (!info.isFile()) throw new ConfigError(`${path} is not a regular file: name the daemon.json to merge into`);
    if (info.size > DAEMON_JSON_BYTES) throw new ConfigError(`${path} is larger than ${DAEMON_JSON_BYTES} bytes: not a daemon.json dockaudit will merge into`);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: {} };
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`cannot read ${path}: ${describeError(error)}`);
  }
  if (nestingDepth(text) > DAEMON_JSON_MAX_DEPTH) throw new ConfigError(`${path} is nested more than ${DAEMON_JSON_MAX_DEPTH} levels deep, which no daemon setting is: not a daemon.json dockaudit will merge into (it was left as it is)`);
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON (${describeError(error)}): dockerd would not start with it either; fix it by hand first (it was left as it is)`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(`${path} is not a JSON object: fix it by hand first (it was left as it is)`);
  return { text, settings: parsed as Record<string, unknown> };
}

/**
 * Where the daemon's own daemon.json is under `hostRoot`: the path the daemon (or a snapshot)
 * names must be absolute and stay under the host root once `..` is resolved, or it is refused.
 */
function daemonJsonUnder(hostRoot: string, named: string): string {
  const root = resolve(hostRoot);
  const path = join(root, named);
  const inside = relative(root, path);
  if (!isAbsolute(named) || inside === '' || inside.startsWith('..') || isAbsolute(inside) || named.includes('\u0000')) {
    throw new UsageError(`the daemon names its daemon.json as ${JSON.stringify(named)}, which is not a file under ${root}: name the daemon.json to merge into (dockaudit fix daemon-json FILE)`);
  }
  return path;
}

/**
 * The host's daemon.json merged with the settings the failing daemon rules ask for: unknown keys
 * and key order kept, new keys last. A setting given on dockerd's command line is not added
 * (dockerd refuses one given both ways): a note says to change the flag.
 */
export async function fixDaemonJson(options: DaemonJsonFixOptions = {}): Promise<DaemonJsonFixResult> {
  const snapshot = await snapshotOf(options);
  if (isUnavailable(snapshot.daemon)) throw new CollectionError(`cannot read the daemon, so which of its rules fail is not known: ${snapshot.daemon.reason}`);
  const config = isUnavailable(snapshot.daemon.config) ? undefined : snapshot.daemon.config;
  let path = options.file;
  if (path === undefined) {
    if (config === undefined) {
      // A daemon.json where the daemon usually reads it that cannot be parsed is the thing to say first.
      await readDaemonJson(join(options.hostRoot ?? '/', DEFAULT_DAEMON_JSON));
      const reason = isUnavailable(snapshot.daemon.config) ? snapshot.daemon.config.reason : '';
      throw new UsageError(`the daemon's configuration is not visible from here (${reason}): name its daemon.json (dockaudit fix daemon-json FILE)`);
    }
    path = daemonJsonUnder(options.hostRoot ?? '/', config.configFile.path);
  }
  const read = await readDaemonJson(path);
  const findings = findingsOf(snapshot, await loadRules(['daemon']), options.config);
  const swarmActive = !isUnavailable(snapshot.swarm) && snapshot.swarm.swarm !== undefined;
  const plan = planDaemonJsonFix(read.settings, findings, { ...(config !== undefined ? { config } : {}), swarmActive });
  return { path, ...(read.text !== undefined ? { original: read.text } : {}), text: daemonJsonText(plan.settings, read.text), changes: plan.changes, notes: plan.notes };
}

/** An auditd rules file for the Docker paths of the host, from the findings of the audit-rule checks. */
export async function fixAuditRules(options: FixHostOptions = {}): Promise<AuditRulesFile> {
  const snapshot = await snapshotOf(options);
  const system = snapshot.host.system;
  if (system === undefined || isUnavailable(system)) {
    throw new CollectionError(`the host's files are not visible from here${system !== undefined ? ` (${system.reason})` : ''}: run on the Docker host, or give --host-root`);
  }
  const rules = (await loadRules(['host'])).filter((rule) => isAuditRuleCheck(rule.meta));
  return planAuditRules(snapshot, findingsOf(snapshot, rules, options.config));
}

export interface ComposeFixOptions extends Omit<FileOptions, 'paths' | 'composeFiles'> {
  config?: Config;
}

/**
 * A `compose.override.yaml` for the services of one Compose file, from the findings of a lint of
 * it alone. A file that cannot be read or parsed is an error: nothing is generated for it.
 */
export async function fixCompose(file: string, options: ComposeFixOptions = {}): Promise<ComposeOverride> {
  const report = await lint([], { ...options, composeFiles: [file] });
  // DA901 judges whether the file could be read and parsed at all.
  const broken = report.findings.find((finding) => (finding.ruleId === 'DA901' && finding.status !== 'pass') || (finding.family === 'compose' && finding.status === 'error'));
  if (broken !== undefined) throw new ConfigError(`${file}: ${broken.message}`);
  if (report.incomplete !== undefined && report.incomplete.length > 0) throw new ConfigError(report.incomplete.join('; '));
  if (!report.findings.some((finding) => finding.subject.kind === 'compose-service')) throw new ConfigError(`${file} defines no service to harden`);
  return planComposeOverride(file, report.findings);
}
