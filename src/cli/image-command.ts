/**
 * `dockaudit image REF…` and `dockaudit image --archive PATH`: scan image layers and audit the
 * images with the image rules; and the `--images` part of `dockaudit audit`.
 * Arguments, config, file writes and exit codes only: the scanning is in collect/image.
 */
import { Option, type Command } from 'commander';
import type { LayerCache, ScanLimits } from '../collect/image/index.js';
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

/** The scan caps as flags (`--max-layer-entries 5000000`, `--max-layer-bytes 16GiB`); unset ones keep their default. */
export interface ScanLimitFlags {
  maxLayerEntries?: string;
  maxLayerBytes?: string;
  maxImageBytes?: string;
  maxLayers?: string;
  maxFileBytes?: string;
}

interface ImageFlags extends CacheFlags, ScanLimitFlags {
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

/** The scan caps, for `image` and `audit --images` (README, Images; docs/image-scan.md). */
export function scanLimitOptions(): Option[] {
  return [
    new Option('--max-layer-entries <count>', 'most entries one layer may hold (default 1000000)'),
    new Option('--max-layer-bytes <size>', 'most bytes one layer may decompress to (default 8GiB)'),
    new Option('--max-image-bytes <size>', 'most bytes the layers of one image (or one archive) may decompress to (default 32GiB)'),
    new Option('--max-layers <count>', 'most layers one image (or one archive) may hold (default 256)'),
    new Option('--max-file-bytes <size>', 'largest file whose content is searched for secrets (default 512KiB)'),
  ];
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1000, kib: 1024, m: 1024 ** 2, mb: 1e6, mib: 1024 ** 2, g: 1024 ** 3, gb: 1e9, gib: 1024 ** 3, t: 1024 ** 4, tb: 1e12, tib: 1024 ** 4 };

/** `512KiB`, `8G`, `1000000`: a positive whole number of bytes. */
export function parseSize(flag: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = match ? SIZE_UNITS[(match[2] ?? '').toLowerCase()] : undefined;
  const bytes = match && unit !== undefined ? Math.floor(Number(match[1]) * unit) : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new UsageError(`${flag} takes a size in bytes (512KiB, 8GiB, 1000000), got ${value}`);
  return bytes;
}

function parseCount(flag: string, value: string): number {
  const count = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(count) || count < 1) throw new UsageError(`${flag} takes a whole number above 0, got ${value}`);
  return count;
}

/** The caps the flags set, over the defaults. */
export function scanLimitsOf(flags: ScanLimitFlags, defaults: ScanLimits): ScanLimits {
  return {
    layerEntries: flags.maxLayerEntries === undefined ? defaults.layerEntries : parseCount('--max-layer-entries', flags.maxLayerEntries),
    layerBytes: flags.maxLayerBytes === undefined ? defaults.layerBytes : parseSize('--max-layer-bytes', flags.maxLayerBytes),
    imageBytes: flags.maxImageBytes === undefined ? defaults.imageBytes : parseSize('--max-image-bytes', flags.maxImageBytes),
    layers: flags.maxLayers === undefined ? defaults.layers : parseCount('--max-layers', flags.maxLayers),
    fileBytes: flags.maxFileBytes === undefined ? defaults.fileBytes : parseSize('--max-file-bytes', flags.maxFileBytes),
  };
}

/** The layer scanner (tar and zstd readers included) loads only when images are scanned. */
async function imageScanner() {
  const [scanner, progress] = await Promise.all([import('../collect/image/index.js'), import('../collect/image/progress.js')]);
  return { ...scanner, createScanProgressBar: progress.createScanProgressBar };
}

function layerCache(scanner: Awaited<ReturnType<typeof imageScanner>>, flags: CacheFlags, env: NodeJS.ProcessEnv): LayerCache {
  if (flags.cache === false) return new scanner.LayerCache();
  if (flags.cacheDir !== undefined) return new scanner.LayerCache(flags.cacheDir);
  return new scanner.LayerCache(scanner.defaultCacheDirectory(env), { privateParents: [scanner.defaultCacheRoot(env)] });
}

/** For `audit --images`: scans every image a container uses and adds the scans to the snapshot. */
export async function scanImagesForAudit(snapshot: Snapshot, flags: CacheFlags & ScanLimitFlags & { host?: string }, io: ImageCommandIo): Promise<void> {
  const scanner = await imageScanner();
  const limits = scanLimitsOf(flags, scanner.DEFAULT_SCAN_LIMITS);
  const progress = scanner.createScanProgressBar(io.stderr);
  try {
    await scanner.addImageScans(snapshot, flags.host, io.env, { cache: layerCache(scanner, flags, io.env), progress: progress.update, limits });
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
  const options = { cache: layerCache(scanner, flags, io.env), limits: scanLimitsOf(flags, scanner.DEFAULT_SCAN_LIMITS) };
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
    io.stderr.write('dockaudit: some images or rules could not be audited; see the findings with status "error"\n');
    return EXIT_CANNOT_AUDIT;
  }
  return exceedsThreshold(report, config.failOn) ? EXIT_FINDINGS : EXIT_CLEAN;
}

/** Registers `dockaudit image`. */
export function registerImageCommand(program: Command, io: ImageCommandIo, setExit: (code: number) => void): void {
  const command = program
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
    .addOption(noCacheOption());
  for (const option of scanLimitOptions()) command.addOption(option);
  command.action(async (references: string[], flags: ImageFlags) => setExit(await imageCommand(references, flags, io)));
}
