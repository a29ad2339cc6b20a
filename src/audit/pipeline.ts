/**
 * The pipeline as functions: `audit`, `lint`, `scanImages` and `snapshot`. Each collects what it
 * is asked for, evaluates the rules and returns the report the JSON format serialises (or, for
 * `snapshot`, the snapshot). Nothing here writes output or decides an exit code: see `outcome`.
 *
 * Collectors and parsers load on demand, so a host audit never loads the Compose model and a
 * lint never loads the daemon client.
 */
import { readBoundedFile, type BoundedRead } from '../collect/bounded-file.js';
import { DEFAULT_CONFIG, type Config } from '../engine/config.js';
import pLimit from 'p-limit';
import type { Report, TargetSummary } from '../engine/report.js';
import { mergeReports, type TargetReport } from '../engine/run.js';
import { SnapshotError, UsageError, describeError } from '../errors.js';
import { str } from '../snapshot/api-document.js';
import { parseSnapshot } from '../snapshot/io.js';
import { inspectedSelected, selectsContainers, validateLabelFilters, type ContainerSelection } from '../snapshot/container-selection.js';
import type { SourceFiles } from '../snapshot/files.js';
import { SNAPSHOT_SCHEMA_VERSION, isUnavailable, type Snapshot, type Unavailable } from '../snapshot/types.js';
import { VERSION } from '../version.js';
import { evaluate, preloadHostRules } from './evaluate.js';
import { requestBounds } from './limits.js';
import { addReportViews } from './report-views.js';
import type { AuditOptions, FileOptions, Hooks, ImageCacheOptions, LintOptions, ScanImagesOptions, SnapshotOptions, TargetOptions } from './types.js';

function configOf(options: { config?: Config }): Config {
  return options.config ?? DEFAULT_CONFIG;
}

/** The config's container filters (`containers`, `excludeContainers`, `labels`), checked. */
function containerSelectionOf(config: Config | undefined): ContainerSelection {
  const labels = config?.labels ?? [];
  validateLabelFilters(labels, '--label');
  return { include: config?.containers ?? [], exclude: config?.excludeContainers ?? [], labels };
}

/**
 * A snapshot given to `audit` with the containers the config leaves out removed, as a live
 * collection would not have read them. The snapshot itself is not changed.
 */
function selectedContainersOf(snapshot: Snapshot, config: Config): Snapshot {
  const selection = containerSelectionOf(config);
  if (!selectsContainers(selection) || isUnavailable(snapshot.containers)) return snapshot;
  return { ...snapshot, containers: snapshot.containers.filter((facts) => inspectedSelected(selection, facts)) };
}

/** Settles with `work`, or rejects as soon as the signal aborts (the work's result is then dropped). */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export async function collectFilesOf(options: FileOptions, hooks: Hooks): Promise<SourceFiles | undefined> {
  const paths = options.paths ?? [];
  const composeFiles = options.composeFiles ?? [];
  if (paths.length === 0 && composeFiles.length === 0) return undefined;
  const { collectFiles } = await import('../collect/source-files.js');
  const files = await abortable(
    collectFiles(paths, options.cwd ?? process.cwd(), composeFiles, options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
    hooks.signal,
  );
  return files;
}

/**
 * Files that were found or named but not read (too large, binary, not a regular file,
 * unreadable), one line each: the audit is incomplete, even when the rule that reports them as
 * `error` findings (DA801, DA901) is turned off, and a `.env` file has no rule of its own.
 */
export function refusedFiles(files: SourceFiles | undefined): string[] {
  return (files?.files ?? []).flatMap((file) => (file.skipped === undefined ? [] : [`not audited: ${file.path}: ${file.skipped}`]));
}

/** Adds `reasons` to the report's list of what left the audit incomplete. */
export function markIncomplete(report: Report, reasons: string[]): void {
  if (reasons.length > 0) report.incomplete = [...(report.incomplete ?? []), ...reasons];
}

/** A target with its address and environment worked out (its context read). */
export interface Located {
  /** Undefined: DOCKER_HOST from `env`, else the local socket. */
  host?: string;
  env: NodeJS.ProcessEnv;
  /** The context it was read from, when one was. */
  context?: string;
  /** The address, for the report. */
  address: string;
}

/**
 * Where a target is: its host, else its context, else the current Docker CLI context
 * (`DOCKER_CONTEXT`, `docker context use`) unless DOCKER_HOST is set. An unknown context is a
 * usage error.
 */
export async function locate(target: TargetOptions, env: NodeJS.ProcessEnv): Promise<Located> {
  const { DEFAULT_DOCKER_HOST, currentContextName, resolveContext } = await import('../collect/contexts.js');
  if (target.host !== undefined && target.context !== undefined) throw new UsageError(`give a host or a context for a target, not both (${target.host}, ${target.context})`);
  if (target.host !== undefined) return { host: target.host, env, address: target.host };
  const name = target.context ?? currentContextName(env);
  if (name === undefined) return { env, address: env['DOCKER_HOST'] || DEFAULT_DOCKER_HOST };
  const context = resolveContext(name, env);
  return { host: context.host, env: context.env, context: name, address: context.host };
}

/** Where a target is (its address, environment and context), and the name its findings carry: for `watch`. */
export async function locateTarget(target: TargetOptions, env: NodeJS.ProcessEnv): Promise<Located & { label: string }> {
  const where = await locate(target, env);
  return { ...where, label: labelOf(where) };
}

export async function collectTarget(options: SnapshotOptions, located?: Located, started?: () => void): Promise<Snapshot> {
  const where = located ?? (await locate(options, options.env ?? process.env));
  const { collectSnapshot } = await import('../collect/index.js');
  const bounds = requestBounds(options, options.config?.limits);
  const collected = abortable(
    collectSnapshot({
      ...bounds,
      ...(where.host !== undefined ? { host: where.host } : {}),
      ...(options.hostRoot !== undefined ? { hostRoot: options.hostRoot } : {}),
      env: where.env,
      concurrency: options.concurrency ?? 16,
      ...(selectsContainers(containerSelectionOf(options.config)) ? { containers: containerSelectionOf(options.config) } : {}),
      progress: (stage, done, total) => options.onProgress?.({ kind: 'collect', stage, done, total }),
    }),
    options.signal,
  );
  started?.();
  return collected;
}

/**
 * The snapshot of a target, its images' layers scanned when asked, with the advisories their
 * packages need unless `advisories` is false (an audit of several targets reads the database
 * once for all of them).
 */
async function collectWithImages(options: AuditOptions, config: Config, located: Located, advisories = true): Promise<Snapshot> {
  // The rule modules load while the first requests are out: compiling them then costs no time.
  const snapshot = await collectTarget({ ...options, config }, located, preloadHostRules);
  if (options.images) {
    const { scanner, cache, limits } = await layerScanner(options.images === true ? {} : options.images, located.env);
    const requests = requestBounds(options, config.limits);
    await abortable(scanner.addImageScans(snapshot, located.host, located.env, { cache, limits, requests, progress: scanProgress(options) }), options.signal);
    if (advisories) await addAdvisories([snapshot], options.images === true ? {} : options.images, located.env, options.signal);
  }
  if (options.checkRegistry) {
    const { checkRegistryTags } = await import('../collect/registry/index.js');
    const bounds = options.checkRegistry === true ? {} : options.checkRegistry;
    snapshot.registry = await abortable(checkRegistryTags(snapshot, { env: located.env, ...bounds, ...(options.signal ? { signal: options.signal } : {}) }), options.signal);
  }
  return snapshot;
}

/**
 * Adds to snapshots with scanned images the advisories their packages need (DA461), from the
 * database given or the downloaded copy, read once for all of them (it keeps the packages any
 * of them has); the database reader loads only then.
 */
async function addAdvisories(snapshots: Snapshot[], options: ImageCacheOptions, env: NodeJS.ProcessEnv, signal: AbortSignal | undefined): Promise<void> {
  const scanned = snapshots.filter((snapshot) => snapshot.imageContents !== undefined);
  if (scanned.length === 0) return;
  const { advisoriesForImages } = await import('../collect/vuln-db/index.js');
  const database = await abortable(
    advisoriesForImages(
      scanned.flatMap((snapshot) => snapshot.imageContents ?? []),
      {
        env,
        ...(options.vulnDb !== undefined ? { paths: options.vulnDb } : {}),
        ...(options.vulnDbLimits !== undefined ? { limits: options.vulnDbLimits } : {}),
        ...(signal !== undefined ? { signal } : {}),
      },
    ),
    signal,
  );
  for (const snapshot of scanned) snapshot.advisories = database;
}


/**
 * Why a collection left part of the daemon unaudited, in one line, or nothing when it did not:
 * the daemon out of reach, or problems that left subjects or sections unread. Either makes the
 * audit incomplete, whatever its findings say.
 */
export function incompleteCollection(snapshot: Snapshot): string[] {
  if (isUnavailable(snapshot.daemon)) return [snapshot.daemon.reason];
  const unaudited = snapshot.problems.filter((problem) => problem.unaudited);
  const first = unaudited[0];
  if (!first) return [];
  const more = unaudited.length > 1 ? ` (and ${unaudited.length - 1} more; all are listed in the report's problems)` : '';
  return [`incomplete audit of ${snapshot.target.dockerHost}: ${first.scope}${first.subject ? ` ${first.subject}` : ''}: ${first.reason}${more}`];
}

/** The layer scanner (tar and zstd readers included) loads only when images are scanned. */
async function layerScanner(cacheOptions: ImageCacheOptions, env: NodeJS.ProcessEnv) {
  const scanner = await import('../collect/image/index.js');
  const cache =
    cacheOptions.cache === false
      ? new scanner.LayerCache()
      : cacheOptions.cacheDir !== undefined
        ? new scanner.LayerCache(cacheOptions.cacheDir)
        : new scanner.LayerCache(scanner.defaultCacheDirectory(env), { privateParents: [scanner.defaultCacheRoot(env)] });
  return { scanner, cache, limits: { ...scanner.DEFAULT_SCAN_LIMITS, ...cacheOptions.limits } };
}

function scanProgress(hooks: Hooks): (image: string, bytesRead: number, totalBytes: number) => void {
  return (image, bytesRead, totalBytes) => hooks.onProgress?.({ kind: 'scan', image, bytesRead, totalBytes });
}

/**
 * Audits a Docker host: its daemon, containers, images, Swarm and host files, plus the
 * Dockerfiles and Compose files under `paths`. A daemon that cannot be reached still gives a
 * report: the checks that need it are `skipped`, and `outcome` says the audit is incomplete.
 */
export async function audit(options: AuditOptions = {}): Promise<Report> {
  if (options.snapshot !== undefined) checkSnapshotObject(options.snapshot);
  return addReportViews(await auditOnly(options), configOf(options), 'host', options);
}

/**
 * A snapshot handed to `audit` from a program is an object of this schema version (a path or a
 * text is a one-line error, not a crash in a rule): `readSnapshot` reads and checks a file.
 */
function checkSnapshotObject(snapshot: unknown): void {
  if (typeof snapshot !== 'object' || snapshot === null || Array.isArray(snapshot)) {
    throw new SnapshotError(`the snapshot option must be a snapshot object, not ${Array.isArray(snapshot) ? 'an array' : typeof snapshot} (readSnapshot(path) reads a file)`);
  }
  const version = (snapshot as { schemaVersion?: unknown }).schemaVersion;
  if (version !== SNAPSHOT_SCHEMA_VERSION) throw new SnapshotError(`the snapshot option has schema version ${JSON.stringify(version) ?? 'undefined'}; this dockaudit reads version ${SNAPSHOT_SCHEMA_VERSION}`);
}

async function auditOnly(options: AuditOptions): Promise<Report> {
  const config = configOf(options);
  const targets = options.targets ?? [];
  if (options.swarm !== undefined && options.snapshot === undefined) return (await import('./swarm.js')).auditSwarm(options, config);
  if (options.snapshot === undefined && targets.length > 1) return auditTargets(options, targets, config);
  const single: AuditOptions = targets.length === 1 ? { ...options, ...targets[0] } : options;
  const files = await collectFilesOf(single, single);
  const snapshot = single.snapshot !== undefined ? selectedContainersOf(single.snapshot, config) : await collectWithImages(single, config, await locate(single, single.env ?? process.env));
  if (files) snapshot.files = files;
  single.onPhase?.('collect');
  const report = await evaluate(snapshot, config, 'host', single);
  markIncomplete(report, [...incompleteCollection(snapshot), ...refusedFiles(files)]);
  return report;
}

/** Targets audited at once by default. */
export const DEFAULT_TARGET_CONCURRENCY = 4;

/** The name a target's findings carry: its context, else its address. */
function labelOf(located: Located): string {
  return located.context ?? located.address;
}

/**
 * The snapshot of a target that could not be audited at all: every part unavailable with the
 * reason, so each of its checks is `skipped` with it and the audit is incomplete.
 */
export function unauditedSnapshot(address: string, reason: string): Snapshot {
  const unavailable: Unavailable = { unavailable: true, reason };
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    tool: { name: 'dockaudit', version: VERSION },
    collectedAt: new Date().toISOString(),
    target: { dockerHost: address },
    daemon: unavailable,
    containers: unavailable,
    images: unavailable,
    networks: unavailable,
    volumes: unavailable,
    swarm: unavailable,
    host: { hostname: address, daemonIsLocal: false, system: unavailable },
    problems: [{ scope: 'daemon', reason, unaudited: true }],
  };
}

function targetSummary(located: Located, snapshot: Snapshot): TargetSummary {
  const context = located.context !== undefined ? { context: located.context } : {};
  const daemon = snapshot.daemon;
  if (isUnavailable(daemon)) return { address: located.address, ...context, reachable: false, reason: daemon.reason };
  return { address: located.address, ...context, name: str(daemon.info, 'Name'), version: str(daemon.version, 'Version'), reachable: true };
}

/**
 * Audits one target of several: a collection that throws (TLS files unreadable, a transport that
 * fails) gives a target whose checks are skipped with the reason, not a failed run.
 */
async function collectOneOf(located: Located, options: AuditOptions, config: Config): Promise<Snapshot> {
  const label = labelOf(located);
  const onProgress = options.onProgress;
  // Progress of several collections at once: each stage names its target.
  const labelled: AuditOptions = onProgress ? { ...options, onProgress: (event) => onProgress(event.kind === 'collect' ? { ...event, stage: `${label} ${event.stage}` } : event) } : options;
  try {
    return await collectWithImages(labelled, config, located, false);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return unauditedSnapshot(located.address, `could not audit ${located.address}: ${describeError(error)}`);
  }
}

/** The report of one target of several, from its snapshot. */
async function evaluateOneOf(located: Located, snapshot: Snapshot, options: AuditOptions, config: Config): Promise<TargetReport> {
  // Phases are reported once for the whole run, not per target.
  const { onPhase: _phases, ...hooks } = options;
  const report = await evaluate(snapshot, config, 'host', hooks);
  markIncomplete(report, incompleteCollection(snapshot));
  return { label: labelOf(located), summary: targetSummary(located, snapshot), report };
}

/**
 * Audits several daemons, `targetConcurrency` at a time, into one report; the files are judged
 * once, apart from any daemon, as `lint` judges them. Each target is located first, so a
 * misspelled context stops the run before any daemon is asked.
 */
async function auditTargets(options: AuditOptions, targets: TargetOptions[], config: Config): Promise<Report> {
  const concurrency = options.targetConcurrency ?? DEFAULT_TARGET_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`the target concurrency must be a whole number of at least 1, got ${concurrency}`);
  preloadHostRules();
  const located: { target: AuditOptions; where: Located }[] = [];
  const labels = new Set<string>();
  for (const target of targets) {
    const merged: AuditOptions = { ...options, ...target };
    const where = await locate(merged, merged.env ?? process.env);
    // The same daemon named twice is audited once.
    if (labels.has(labelOf(where))) continue;
    labels.add(labelOf(where));
    located.push({ target: merged, where });
  }
  if (located.length === 1) {
    const only = located[0] as { target: AuditOptions };
    return auditOnly({ ...only.target, targets: [] });
  }
  const files = await collectFilesOf(options, options);
  const limit = pLimit(concurrency);
  const snapshots = await Promise.all(located.map(({ target, where }) => limit(() => collectOneOf(where, target, config))));
  if (options.images) await addAdvisories(snapshots, options.images === true ? {} : options.images, options.env ?? process.env, options.signal);
  const reports = await Promise.all(located.map(({ target, where }, index) => evaluateOneOf(where, snapshots[index] as Snapshot, target, config)));
  options.onPhase?.('collect');
  let filesReport: Report | undefined;
  if (files) {
    const { filesOnlySnapshot } = await import('../collect/source-files-only.js');
    filesReport = await evaluate(filesOnlySnapshot(files), config, 'files', { ...options, onPhase: undefined });
  }
  const report = mergeReports(reports, filesReport, VERSION, config.limits);
  markIncomplete(report, refusedFiles(files));
  options.onPhase?.('evaluate');
  return report;
}

/** Lints Dockerfiles and Compose files, with no daemon: the rules that files alone decide. */
export async function lint(paths: string[], options: LintOptions = {}): Promise<Report> {
  const files = (await collectFilesOf({ ...options, paths }, options)) ?? { files: [] };
  const { filesOnlySnapshot } = await import('../collect/source-files-only.js');
  const snapshot = filesOnlySnapshot(files);
  options.onPhase?.('collect');
  const report = await evaluate(snapshot, configOf(options), 'files', options);
  markIncomplete(report, refusedFiles(files));
  return addReportViews(report, configOf(options), 'files', options);
}

/**
 * Scans images layer by layer, from the daemon (`references`) or from an archive
 * (`options.archive`), and judges them with the image rules and, through their build
 * histories, the Dockerfile rules.
 */
export async function scanImages(references: string[], options: ScanImagesOptions = {}): Promise<Report> {
  if (options.archive !== undefined && references.length > 0) throw new UsageError('give image references or an archive, not both');
  if (options.archive === undefined && references.length === 0) throw new UsageError('name at least one image, or give an archive');
  if (options.archive === undefined && options.targets !== undefined && options.targets.length > 0) {
    if (options.host !== undefined) throw new UsageError('give a host or targets, not both');
    return scanImagesOfTargets(references, options, options.targets);
  }
  const env = options.env ?? process.env;
  const { scanner, cache, limits } = await layerScanner(options, env);
  const requests = requestBounds(options, configOf(options).limits);
  const scanOptions = { cache, limits, requests, progress: scanProgress(options) };
  const snapshot = await abortable(
    options.archive !== undefined ? scanner.archiveSnapshot(options.archive, scanOptions) : scanner.daemonImagesSnapshot(references, options.host, env, scanOptions),
    options.signal,
  );
  await addAdvisories([snapshot], options, env, options.signal);
  options.onPhase?.('collect');
  return addReportViews(await evaluate(snapshot, configOf(options), 'images', options), configOf(options), 'images', options);
}

/**
 * Scans the same images on several daemons (or one named by its context), `targetConcurrency`
 * at a time, into one report with a target per daemon. A daemon whose images could not be
 * scanned is a target whose checks are skipped with the reason.
 */
async function scanImagesOfTargets(references: string[], options: ScanImagesOptions, targets: TargetOptions[]): Promise<Report> {
  const concurrency = options.targetConcurrency ?? DEFAULT_TARGET_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`the target concurrency must be a whole number of at least 1, got ${concurrency}`);
  const env = options.env ?? process.env;
  const located: Located[] = [];
  const labels = new Set<string>();
  for (const target of targets) {
    const where = await locate(target, target.env ?? env);
    if (labels.has(labelOf(where))) continue;
    labels.add(labelOf(where));
    located.push(where);
  }
  const config = configOf(options);
  const { scanner, cache, limits } = await layerScanner(options, env);
  const requests = requestBounds(options, config.limits);
  const scanOf = (where: Located): Promise<Snapshot> =>
    abortable(scanner.daemonImagesSnapshot(references, where.host, where.env, { cache, limits, requests, progress: scanProgress(options) }), options.signal);
  if (located.length === 1) {
    const snapshot = await scanOf(located[0] as Located);
    await addAdvisories([snapshot], options, env, options.signal);
    options.onPhase?.('collect');
    return evaluate(snapshot, config, 'images', options);
  }
  const { onPhase: _phases, ...hooks } = options;
  const limit = pLimit(concurrency);
  // Every daemon's images first, then the advisories they need, read once for all of them.
  const scans = await Promise.all(
    located.map((where) =>
      limit(async (): Promise<Snapshot | string> => {
        try {
          return await scanOf(where);
        } catch (error) {
          if (options.signal?.aborted) throw error;
          return `could not scan the images of ${where.address}: ${describeError(error)}`;
        }
      }),
    ),
  );
  await addAdvisories(
    scans.filter((scan): scan is Snapshot => typeof scan !== 'string'),
    options,
    env,
    options.signal,
  );
  const reports = await Promise.all(
    located.map(async (where, index): Promise<TargetReport> => {
      const label = labelOf(where);
      const context = where.context !== undefined ? { context: where.context } : {};
      const scan = scans[index] as Snapshot | string;
      if (typeof scan !== 'string') {
        const report = await evaluate(scan, config, 'images', hooks);
        // An images-only scan reads no daemon version.
        return { label, summary: { address: where.address, ...context, name: label, version: '', reachable: true }, report };
      }
      const report = await evaluate(unauditedSnapshot(where.address, scan), config, 'images', hooks);
      markIncomplete(report, [scan]);
      return { label, summary: { address: where.address, ...context, reachable: false, reason: scan }, report };
    }),
  );
  options.onPhase?.('collect');
  return mergeReports(reports, undefined, VERSION, config.limits);
}

/** A snapshot of 10,000 containers is about 70 MiB; a file larger than this is refused unread. */
export const MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024;

/**
 * Reads a snapshot file written by `snapshot` (or `dockaudit snapshot -o`), to pass to
 * `audit({ snapshot })`: a regular file of at most MAX_SNAPSHOT_BYTES (see collect/bounded-file.ts).
 */
export async function readSnapshot(path: string): Promise<Snapshot> {
  let read: BoundedRead;
  try {
    read = readBoundedFile(path, MAX_SNAPSHOT_BYTES);
  } catch (error) {
    throw new SnapshotError(`cannot read snapshot ${path}: ${describeError(error)}`);
  }
  if (read.status === 'not-regular') throw new SnapshotError(`cannot read snapshot ${path}: ${read.type}, not a regular file`);
  if (read.status === 'too-large') throw new SnapshotError(`cannot read snapshot ${path}: larger than ${MAX_SNAPSHOT_BYTES} bytes`);
  return parseSnapshot(read.bytes.toString('utf8'), path);
}

/**
 * Collects the facts of a Docker host, to audit later or elsewhere (`audit({ snapshot })`). It
 * holds what the daemon returns, environment values and build histories included: keep it as
 * the host's secrets are kept.
 */
export async function snapshot(options: SnapshotOptions = {}): Promise<Snapshot> {
  const collected = await collectTarget(options);
  options.onPhase?.('collect');
  return collected;
}
