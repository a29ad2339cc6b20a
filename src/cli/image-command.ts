/**
 * `dockaudit image REF…` and `dockaudit image --archive PATH`: scan image layers and audit the
 * images with the image rules; and the `--images` part of `dockaudit audit`.
 * Arguments, config, file writes and exit codes only: the scanning is in collect/image.
 */
import { Option, type Command } from 'commander';
import type { LayerCache } from '../collect/image/index.js';
import { UsageError } from '../errors.js';
import { exceedsThreshold, hasErrors, runRules } from '../engine/run.js';
import { loadRules } from '../rules/registry.js';
import type { Snapshot } from '../snapshot/types.js';
import { VERSION } from '../version.js';
import { findConfigFile, loadConfig } from './config-file.js';
import { FORMATS, writeReport, type Format, type Io } from './output.js';

const EXIT_CLEAN = 0;
const EXIT_FINDINGS = 1;
const EXIT_CANNOT_AUDIT = 2;


/** The streams and environment the image command runs with. */
export type ImageCommandIo = Io;

/** The layer cache options, shared by `image` and `audit --images`. */
export interface CacheFlags {
  cacheDir?: string;
  /** False with --no-cache. */
  cache?: boolean;
}

interface ImageFlags extends CacheFlags {
  archive?: string;
  format: Format;
  output?: string;
  failOn?: string;
  config?: string;
  host?: string;
  showPassed?: boolean;
  color?: boolean;
}

/** `--cache-dir DIR`, for `image` and `audit --images`. */
export function cacheDirOption(): Option {
  return new Option('--cache-dir <dir>', 'where layer scans are cached across runs (default $XDG_CACHE_HOME/dockaudit/layers)');
}

/** `--no-cache`: every layer scanned again, nothing kept on disk. */
export function noCacheOption(): Option {
  return new Option('--no-cache', 'scan every layer again and keep nothing on disk');
}

/** The layer scanner (tar and zstd readers included) loads only when images are scanned. */
async function imageScanner() {
  const [scanner, progress] = await Promise.all([import('../collect/image/index.js'), import('../collect/image/progress.js')]);
  return { ...scanner, createScanProgressBar: progress.createScanProgressBar };
}

function layerCache(scanner: Awaited<ReturnType<typeof imageScanner>>, flags: CacheFlags, env: NodeJS.ProcessEnv): LayerCache {
  if (flags.cache === false) return new scanner.LayerCache();
  return new scanner.LayerCache(flags.cacheDir ?? scanner.defaultCacheDirectory(env));
}

/** For `audit --images`: scans every image a container uses and adds the scans to the snapshot. */
export async function scanImagesForAudit(snapshot: Snapshot, flags: CacheFlags & { host?: string }, io: ImageCommandIo): Promise<void> {
  const scanner = await imageScanner();
  const progress = scanner.createScanProgressBar(io.stderr);
  try {
    await scanner.addImageScans(snapshot, flags.host, io.env, { cache: layerCache(scanner, flags, io.env), progress: progress.update });
  } finally {
    progress.done();
  }
}

async function imageCommand(references: string[], flags: ImageFlags, io: ImageCommandIo): Promise<number> {
  if (flags.archive !== undefined && references.length > 0) throw new UsageError('give image references or --archive, not both');
  if (flags.archive === undefined && references.length === 0) throw new UsageError('name at least one image, or give --archive FILE|DIR');
  const config = await loadConfig(findConfigFile(flags.config, io.env, io.cwd), io.env, { ...(flags.failOn ? { failOn: flags.failOn } : {}) });
  // Image rules, and the Dockerfile rules that judge an image by its build history.
  const rules = await loadRules(['image', 'dockerfile']);
  const scanner = await imageScanner();
  const options = { cache: layerCache(scanner, flags, io.env) };
  const progress = scanner.createScanProgressBar(io.stderr);
  let snapshot: Snapshot;
  try {
    snapshot =
      flags.archive !== undefined
        ? await scanner.archiveSnapshot(flags.archive, { ...options, progress: progress.update })
        : await scanner.daemonImagesSnapshot(references, flags.host, io.env, { ...options, progress: progress.update });
  } finally {
    progress.done();
  }
  const report = runRules(snapshot, rules, config, { toolVersion: VERSION });
  await writeReport(io, report, flags);
  if (hasErrors(report)) {
    io.stderr.write('dockaudit: some rules failed to run; see the findings with status "error"\n');
    return EXIT_CANNOT_AUDIT;
  }
  return exceedsThreshold(report, config.failOn) ? EXIT_FINDINGS : EXIT_CLEAN;
}

/** Registers `dockaudit image`. */
export function registerImageCommand(program: Command, io: ImageCommandIo, setExit: (code: number) => void): void {
  program
    .command('image')
    .description('scan the layers of images (from the daemon, or an archive with --archive) and audit them with the image rules')
    .argument('[refs...]', 'images the daemon holds: name:tag, name@digest or id')
    .option('--archive <path>', 'a docker save tarball (plain, gzip or zstd) or an OCI image layout (directory or tar); no daemon needed')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a failing finding is at or above this severity (default low)').choices(['critical', 'high', 'medium', 'low', 'info']),
    )
    .option('-c, --config <file>', 'config file (default .dockaudit.yml in the current directory)')
    .option('--show-passed', 'list passing checks in the text report')
    .option('--no-color', 'no colours in the text report')
    .addOption(new Option('-H, --host <address>', 'Docker daemon address (unix:///path or tcp://host:port); default DOCKER_HOST'))
    .addOption(cacheDirOption())
    .addOption(noCacheOption())
    .action(async (references: string[], flags: ImageFlags) => setExit(await imageCommand(references, flags, io)));
}
