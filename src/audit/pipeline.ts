/**
 * The pipeline as functions: `audit`, `lint`, `scanImages` and `snapshot`. Each collects what it
 * is asked for, evaluates the rules and returns the report the JSON format serialises (or, for
 * `snapshot`, the snapshot). Nothing here writes output or decides an exit code: see `outcome`.
 *
 * Collectors and parsers load on demand, so a host audit never loads the Compose model and a
 * lint never loads the daemon client.
 */
import { DEFAULT_CONFIG, type Config } from '../engine/config.js';
import type { Report } from '../engine/report.js';
import { UsageError } from '../errors.js';
import type { SourceFiles } from '../snapshot/files.js';
import { isUnavailable, type Snapshot } from '../snapshot/types.js';
import { evaluate, preloadHostRules } from './evaluate.js';
import { requestLimits, type RequestLimits } from './limits.js';
import type { AuditOptions, FileOptions, Hooks, ImageCacheOptions, LintOptions, ScanImagesOptions, SnapshotOptions, TargetOptions } from './types.js';

function configOf(options: { config?: Config }): Config {
  return options.config ?? DEFAULT_CONFIG;
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

async function collectFilesOf(options: FileOptions, hooks: Hooks): Promise<SourceFiles | undefined> {
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
function refusedFiles(files: SourceFiles | undefined): string[] {
  return (files?.files ?? []).flatMap((file) => (file.skipped === undefined ? [] : [`not audited: ${file.path}: ${file.skipped}`]));
}

/** Adds `reasons` to the report's list of what left the audit incomplete. */
function markIncomplete(report: Report, reasons: string[]): void {
  if (reasons.length > 0) report.incomplete = [...(report.incomplete ?? []), ...reasons];
}

async function collectTarget(options: SnapshotOptions): Promise<Snapshot> {
  const { collectSnapshot } = await import('../collect/index.js');
  const bounds = { ...requestLimits({}, options.config?.limits), ...definedBounds(options) };
  return abortable(
    collectSnapshot({
      ...bounds,
      ...(options.host !== undefined ? { host: options.host } : {}),
      ...(options.hostRoot !== undefined ? { hostRoot: options.hostRoot } : {}),
      env: options.env ?? process.env,
      concurrency: options.concurrency ?? 16,
      progress: (stage, done, total) => options.onProgress?.({ kind: 'collect', stage, done, total }),
    }),
    options.signal,
  );
}

/** The request bounds the options give, leaving out those they do not. */
function definedBounds(options: Pick<TargetOptions, 'maxResponseBytes' | 'requestTimeoutMs' | 'targetTimeoutMs'>): RequestLimits {
  return {
    ...(options.maxResponseBytes !== undefined ? { maxResponseBytes: options.maxResponseBytes } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(options.targetTimeoutMs !== undefined ? { targetTimeoutMs: options.targetTimeoutMs } : {}),
  };
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
  const config = configOf(options);
  if (options.snapshot === undefined) preloadHostRules();
  const files = await collectFilesOf(options, options);
  let snapshot: Snapshot;
  if (options.snapshot !== undefined) {
    snapshot = options.snapshot;
  } else {
    snapshot = await collectTarget({ ...options, config });
    if (options.images) {
      const env = options.env ?? process.env;
      const { scanner, cache, limits } = await layerScanner(options.images === true ? {} : options.images, env);
      const requests = { ...requestLimits({}, config.limits), ...definedBounds(options) };
      await abortable(scanner.addImageScans(snapshot, options.host, env, { cache, limits, requests, progress: scanProgress(options) }), options.signal);
    }
  }
  if (files) snapshot.files = files;
  options.onPhase?.('collect');
  const report = await evaluate(snapshot, config, 'host', options);
  markIncomplete(report, [...incompleteCollection(snapshot), ...refusedFiles(files)]);
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
  return report;
}

/**
 * Scans images layer by layer, from the daemon (`references`) or from an archive
 * (`options.archive`), and judges them with the image rules and, through their build
 * histories, the Dockerfile rules.
 */
export async function scanImages(references: string[], options: ScanImagesOptions = {}): Promise<Report> {
  if (options.archive !== undefined && references.length > 0) throw new UsageError('give image references or an archive, not both');
  if (options.archive === undefined && references.length === 0) throw new UsageError('name at least one image, or give an archive');
  const env = options.env ?? process.env;
  const { scanner, cache, limits } = await layerScanner(options, env);
  const requests = { ...requestLimits({}, configOf(options).limits), ...definedBounds(options) };
  const scanOptions = { cache, limits, requests, progress: scanProgress(options) };
  const snapshot = await abortable(
    options.archive !== undefined ? scanner.archiveSnapshot(options.archive, scanOptions) : scanner.daemonImagesSnapshot(references, options.host, env, scanOptions),
    options.signal,
  );
  options.onPhase?.('collect');
  return evaluate(snapshot, configOf(options), 'images', options);
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
