/**
 * From a snapshot to a report: which rule families a run needs, the Compose mapper when there
 * are Compose files, and the Dockerfile rules on a worker thread when there are many
 * Dockerfiles. Every entry point of the library (audit, lint, scanImages) ends here.
 */
import type { Config } from '../engine/config.js';
import type { Report } from '../engine/report.js';
import { evaluateRules, ruleNames, runRules, runRulesAlongside, type RunOptions } from '../engine/run.js';
import { UsageError } from '../errors.js';
import { ONLY, SKIP, selectRules, unknownRuleSelectors, unknownSelectorError } from '../engine/select.js';
import { loadRules } from '../rules/registry.js';
import { RULE_FAMILIES, type AnyRule, type RuleFamily } from '../rules/types.js';
import type { Snapshot } from '../snapshot/types.js';
import { VERSION } from '../version.js';
import type { RulesWorker, RulesWorkerFailed } from './rules-worker.js';
import type { Hooks, WorkerSetting } from './types.js';

/**
 * What the rules are asked to judge: a whole host, files alone (`lint`), images alone, a Swarm's
 * cluster-wide settings alone (`cluster`: CIS 7, once per swarm) or a Swarm node without them
 * (`node`).
 */
export type Scope = 'host' | 'files' | 'images' | 'cluster' | 'node';

/** The rule families a host audit loads besides the file families. */
export const HOST_FAMILIES: readonly RuleFamily[] = RULE_FAMILIES.filter((family) => family !== 'dockerfile' && family !== 'compose');

/** Below this many Dockerfiles, starting a worker thread costs more than it saves. */
const WORKER_MIN_DOCKERFILES = 100;

const WORKER_SETTINGS: readonly WorkerSetting[] = ['auto', 'on', 'off'];

/** The worker setting from `DOCKAUDIT_WORKER` (empty or unset is `auto`); anything else is a usage error. */
export function workerSetting(value: string | undefined): WorkerSetting {
  const setting = value || 'auto';
  if (!(WORKER_SETTINGS as readonly string[]).includes(setting)) throw new UsageError(`DOCKAUDIT_WORKER must be auto, on or off, got ${setting}`);
  return setting as WorkerSetting;
}

/**
 * Whether the Dockerfile rules run on a worker thread while this thread runs the others: never
 * with `off`, whenever there is a Dockerfile with `on`, and with `auto` when there are many.
 * Never when image histories were scanned: the Dockerfile rules judge those too, here.
 */
function dockerfilesApart(snapshot: Snapshot, setting: WorkerSetting): boolean {
  if (setting === 'off' || snapshot.imageContents !== undefined || !snapshot.files) return false;
  let dockerfiles = 0;
  for (const file of snapshot.files.files) if (file.kind === 'dockerfile' && file.content !== undefined) dockerfiles += 1;
  return setting === 'on' ? dockerfiles > 0 : dockerfiles >= WORKER_MIN_DOCKERFILES;
}

/** Rules that can be decided from files alone, for `lint`. */
export function decidableFromFiles(rule: AnyRule): boolean {
  return rule.meta.needs.every((need) => need === 'files' || need === 'dockerfiles' || need === 'containers');
}

/** The families a run over this snapshot needs. */
function familiesFor(snapshot: Snapshot, scope: Scope): RuleFamily[] {
  // Image rules, and the Dockerfile rules that judge an image by its build history.
  if (scope === 'images') return ['image', 'dockerfile'];
  if (scope === 'cluster') return ['swarm'];
  if (scope === 'node') return HOST_FAMILIES.filter((family) => family !== 'swarm');
  const fileFamilies: RuleFamily[] = snapshot.files
    ? ['dockerfile', 'compose']
    : snapshot.imageContents !== undefined
      ? ['dockerfile'] // the Dockerfile rules also read the scanned images' build histories
      : [];
  return scope === 'files' ? ['container', ...fileFamilies] : [...HOST_FAMILIES, ...fileFamilies];
}

/** Ids and aliases to check the config against: those loaded, or all when the config names others. */
async function knownNames(config: Config, loaded: AnyRule[]): Promise<Set<string>> {
  const known = ruleNames(loaded);
  const named = [...Object.keys(config.rules), ...config.ignore.map((entry) => entry.rule).filter((rule) => rule !== '*')];
  return named.every((name) => known.has(name)) ? known : ruleNames(await loadRules());
}

/**
 * Checks the config's `only` and `skip` selectors: a rule name none of the loaded rules has is
 * looked up among all of them, and one that names nothing is a usage error.
 */
export async function checkSelectors(config: Config, loaded: AnyRule[]): Promise<void> {
  for (const [selectors, origin] of [
    [config.only ?? [], ONLY],
    [config.skip ?? [], SKIP],
  ] as const) {
    let unknown = unknownRuleSelectors(selectors, ruleNames(loaded), origin);
    if (unknown.length > 0) unknown = unknownRuleSelectors(unknown, ruleNames(await loadRules()), origin);
    if (unknown.length > 0) throw unknownSelectorError(unknown[0] as string, origin);
  }
}

/** Engine options; the Compose model (YAML parser, Compose schema) loads only when there are Compose files to map. */
async function engineOptions(snapshot: Snapshot, known: Set<string>): Promise<RunOptions> {
  const hasCompose = snapshot.files?.files.some((file) => file.kind === 'compose') === true;
  const fileWorkloads = hasCompose ? (await import('../views/from-compose.js')).workloadsFromCompose : undefined;
  return { toolVersion: VERSION, knownRuleNames: known, ...(fileWorkloads ? { fileWorkloads } : {}) };
}

interface DockerfileWorker {
  handle: RulesWorker;
  /** The class of the rejection that means the thread gave no answer. */
  failed: typeof RulesWorkerFailed;
}

async function startDockerfileWorker(): Promise<DockerfileWorker> {
  const { startRulesWorker, RulesWorkerFailed } = await import('./rules-worker.js');
  return { handle: startRulesWorker(['dockerfile']), failed: RulesWorkerFailed };
}

/**
 * The report of the rules, the Dockerfile rules evaluated by the worker and the others here at
 * the same time. If the thread gives no answer, this thread evaluates them too: slower, and the
 * same findings.
 */
async function evaluateWithWorker(worker: DockerfileWorker, snapshot: Snapshot, rules: AnyRule[], config: Config, options: RunOptions, hooks: Hooks): Promise<Report> {
  const apart = rules.filter((rule) => rule.meta.family === 'dockerfile');
  const elsewhere = worker.handle
    .evaluate({
      ruleIds: apart.map((rule) => rule.meta.id),
      files: snapshot.files?.files.filter((file) => file.kind === 'dockerfile') ?? [],
      config,
      collectedAt: snapshot.collectedAt,
    })
    .then(
      ({ evaluation, milliseconds }) => {
        hooks.onPhase?.('worker', milliseconds);
        return evaluation;
      },
      (error: unknown) => {
        if (!(error instanceof worker.failed)) throw error;
        hooks.onNotice?.(`${error.message}; the Dockerfile rules run on the main thread instead`);
        return evaluateRules(snapshot, apart, config, options);
      },
    );
  return runRulesAlongside(snapshot, rules.filter((rule) => rule.meta.family !== 'dockerfile'), config, options, elsewhere);
}

/**
 * Evaluates the rules a snapshot calls for and returns the report. `scope: 'files'` keeps to the
 * rules that can be decided from files alone. The rule modules of a host audit may be loading
 * already (see `preloadHostRules`); the loader keeps them.
 */
export async function evaluate(snapshot: Snapshot, config: Config, scope: Scope, hooks: Hooks & { worker?: WorkerSetting }): Promise<Report> {
  hooks.signal?.throwIfAborted();
  // Started before the rules load, so the thread boots while this one loads them.
  const worker = dockerfilesApart(snapshot, hooks.worker ?? 'auto') ? await startDockerfileWorker() : undefined;
  try {
    const allRules = await loadRules(familiesFor(snapshot, scope));
    await checkSelectors(config, allRules);
    const rules = selectRules(scope === 'files' ? allRules.filter(decidableFromFiles) : allRules, config);
    hooks.onPhase?.('load rules');
    const options = await engineOptions(snapshot, await knownNames(config, allRules));
    hooks.signal?.throwIfAborted();
    const report = worker ? await evaluateWithWorker(worker, snapshot, rules, config, options, hooks) : runRules(snapshot, rules, config, options);
    hooks.onPhase?.('evaluate');
    return report;
  } finally {
    worker?.handle.stop();
  }
}

/** Starts loading the rule modules of a host audit while collection runs; a failure surfaces when they are used. */
export function preloadHostRules(): void {
  loadRules([...HOST_FAMILIES]).catch(() => undefined);
}
