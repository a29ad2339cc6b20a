/**
 * The commands and their flags. Each action turns flags into library options, calls the library
 * (src/audit), writes what it returns and ends with an `Ending`; only main.ts turns an ending
 * into an exit code.
 */
import { Command, Option } from 'commander';
import { workerSetting } from '../audit/evaluate.js';
import {
  DEFAULT_CONFIG,
  DEFAULT_LIMITS,
  DEFAULT_SWARM_IMAGE,
  audit,
  incompleteCollection,
  lint,
  listRules,
  loadConfig,
  outcomeOf,
  parseConcurrency,
  parseCount,
  parseDuration,
  parseFileBytes,
  parseTargetConcurrency,
  readBaseline,
  readSnapshot,
  requestLimits,
  splitSelectors,
  scanImages,
  scanLimitsOf,
  snapshot,
  swarmNodeConfig,
  swarmNodeLines,
  type BenchmarkKind,
  type Config,
  type ImageCacheOptions,
  type ReportViewOptions,
  type LimitFlags,
  type Outcome,
  type Report,
  type ScanLimitFlags,
  type SwarmOptions,
  type TargetOptions,
  type VulnDbLimitFlags,
  vulnDbLimitsOf,
} from '../audit/index.js';
import { UsageError } from '../errors.js';
import { escapeControl, escapeControlKeepingLines } from '../escape.js';
import { serialiseSnapshot } from '../snapshot/io.js';
import { FILE_SIZE_LIMITS } from '../snapshot/files.js';
import type { Snapshot } from '../snapshot/types.js';
import { VERSION } from '../version.js';
import { phaseTimer, terminalHooks } from './hooks.js';
import { FORMATS, emit, outputSpecs, writeReports, type Io } from './output.js';
import { registerFixCommand } from './fix-command.js';
import { registerDbCommand } from './db-command.js';
import { registerGuardCommand } from './guard-command.js';
import { onInterrupt, wasInterrupted } from './interrupt.js';
import { registerSlimCommand } from './slim-command.js';
import { watchCommand, watchOptions, type WatchFlags } from './watch-command.js';

/** How a command ended; main.ts alone turns it into an exit code. */
export type Ending =
  /** A report was written: its outcome against the threshold. */
  | { kind: 'report'; outcome: Outcome }
  /** Facts were written (a snapshot): complete, or not with the reasons. */
  | { kind: 'written'; incomplete: string[] }
  /** Nothing to judge (`rules`; `watch`, which ends only by a signal or an error). */
  | { kind: 'done' }
  /** `slim`: whether the slimmed image behaved as the original did. */
  | { kind: 'proof'; passed: boolean };

interface ReportFlags {
  /** Every --format FORMAT[:FILE] given, in order. */
  format?: string[];
  /** `files`: the text report one line per finding, by file (`lint`). */
  layout?: 'files';
  output?: string;
  failOn?: string;
  config?: string;
  showPassed?: boolean;
  color?: boolean;
  maxFindings?: string;
  maxFindingsPerSubject?: string;
  /** Every --only and --skip given, in order (each may hold several, comma-separated). */
  only?: string[];
  skip?: string[];
  baseline?: string;
  benchmark?: BenchmarkKind;
}

interface ContainerFlags {
  /** Every --containers, --exclude-containers and --label given. */
  containers?: string[];
  excludeContainers?: string[];
  label?: string[];
}

interface CacheFlags extends ScanLimitFlags, VulnDbLimitFlags {
  cacheDir?: string;
  /** False with --no-cache. */
  cache?: boolean;
  /** Every --vuln-db given, in order. */
  vulnDb?: string[];
}

interface AuditFlags extends ReportFlags, CacheFlags, LimitFlags, ContainerFlags {
  /** Every --host given, in order. */
  host?: string[];
  /** Every --context given, in order. */
  context?: string[];
  targetConcurrency?: string;
  snapshot?: string;
  concurrency: string;
  hostRoot?: string;
  images?: boolean;
  checkRegistry?: boolean;
  registryTimeout?: string;
  file?: string[];
  maxFileBytes?: string;
  swarm?: boolean;
  swarmImage?: string;
  swarmTimeout?: string;
  swarmSocket?: string;
  /** Hidden: this run is one node's audit of a `--swarm` job; its report goes out framed. */
  swarmNode?: string;
}

interface ImageFlags extends ReportFlags, CacheFlags, LimitFlags {
  archive?: string;
  /** Every --host given, in order. */
  host?: string[];
  /** Every --context given, in order. */
  context?: string[];
  targetConcurrency?: string;
}

interface SnapshotFlags extends LimitFlags, ContainerFlags {
  output: string;
  host?: string[];
  context?: string[];
  concurrency: string;
  hostRoot?: string;
}

async function configFor(flags: ReportFlags & ContainerFlags, io: Io): Promise<Config> {
  const config = await loadConfig({ ...(flags.config !== undefined ? { file: flags.config } : {}), cwd: io.cwd, env: io.env, ...(flags.failOn ? { failOn: flags.failOn } : {}) });
  if (flags.maxFindings !== undefined) config.limits = { ...config.limits, findings: parseCount(flags.maxFindings, '--max-findings') };
  if (flags.maxFindingsPerSubject !== undefined) {
    config.limits = { ...config.limits, findingsPerRuleAndSubject: parseCount(flags.maxFindingsPerSubject, '--max-findings-per-subject') };
  }
  // Flags replace the config file's lists, as every flag wins over the file.
  if (flags.only !== undefined) config.only = splitSelectors(flags.only);
  if (flags.skip !== undefined) config.skip = splitSelectors(flags.skip);
  if (flags.containers !== undefined) config.containers = flags.containers;
  if (flags.excludeContainers !== undefined) config.excludeContainers = flags.excludeContainers;
  if (flags.label !== undefined) config.labels = flags.label;
  return config;
}

/** The baseline and benchmark a report is given; the baseline is read first, so a bad one fails before the audit. */
function reportViews(flags: ReportFlags): ReportViewOptions {
  return { ...(flags.baseline !== undefined ? { baseline: readBaseline(flags.baseline) } : {}), ...(flags.benchmark !== undefined ? { benchmark: flags.benchmark } : {}) };
}

/**
 * Runs one report-producing command: the config, the terminal's hooks, the library call, the
 * report written, and its outcome.
 */
async function reportCommand(flags: ReportFlags, io: Io, options: { scans?: boolean }, run: (config: Config, hooks: Awaited<ReturnType<typeof terminalHooks>>['hooks']) => Promise<Report>): Promise<Ending> {
  const config = await configFor(flags, io);
  // Checked before anything is collected: a typo in a format costs no audit.
  const outputs = outputSpecs(flags.format, flags.output);
  const timer = phaseTimer(io);
  const terminal = await terminalHooks(io, timer, options);
  let report: Report;
  try {
    report = await run(config, terminal.hooks);
  } finally {
    terminal.done();
  }
  await writeReports(io, report, outputs, {
    ...(flags.color !== undefined ? { color: flags.color } : {}),
    ...(flags.showPassed !== undefined ? { showPassed: flags.showPassed } : {}),
    ...(flags.layout !== undefined ? { layout: flags.layout } : {}),
  });
  timer('report');
  return { kind: 'report', outcome: outcomeOf(report, config.failOn) };
}

function cacheOptions(flags: CacheFlags): ImageCacheOptions {
  return {
    ...(flags.cacheDir !== undefined ? { cacheDir: flags.cacheDir } : {}),
    ...(flags.cache === false ? { cache: false } : {}),
    limits: scanLimitsOf(flags),
    ...(flags.vulnDb !== undefined ? { vulnDb: flags.vulnDb } : {}),
    vulnDbLimits: vulnDbLimitsOf(flags),
  };
}

/** The daemons named by --host and --context, hosts first, each in the order given. */
function targetsOf(flags: { host?: string[]; context?: string[] }): TargetOptions[] {
  return [...(flags.host ?? []).map((host) => ({ host })), ...(flags.context ?? []).map((context) => ({ context }))];
}

/** The one daemon of a command that reads one (`snapshot`). */
function oneTarget(flags: { host?: string[]; context?: string[] }, command: string): TargetOptions {
  const targets = targetsOf(flags);
  if (targets.length > 1) throw new UsageError(`${command} reads one daemon: give one --host or --context`);
  return targets[0] ?? {};
}

/** `--swarm` and its flags as library options; undefined without `--swarm`. */
function swarmOptionsOf(flags: AuditFlags): SwarmOptions | undefined {
  if (!flags.swarm) {
    const stray = [flags.swarmImage && '--swarm-image', flags.swarmTimeout && '--swarm-timeout', flags.swarmSocket && '--swarm-socket'].filter(Boolean);
    if (stray.length > 0) throw new UsageError(`${stray.join(', ')} go with --swarm`);
    return undefined;
  }
  if (flags.snapshot !== undefined) throw new UsageError('--swarm audits the live nodes of a swarm, not a snapshot');
  return {
    ...(flags.swarmImage !== undefined ? { image: flags.swarmImage } : {}),
    ...(flags.swarmTimeout !== undefined ? { timeoutMs: parseDuration(flags.swarmTimeout, '--swarm-timeout') } : {}),
    ...(flags.swarmSocket !== undefined ? { socket: flags.swarmSocket } : {}),
  };
}

/**
 * One node's part of a `--swarm` audit, run by the job on that node: the audit of its daemon and
 * host, judged with the manager's configuration, written to stdout framed for the manager.
 */
async function swarmNodeCommand(run: string, flags: AuditFlags, io: Io): Promise<Ending> {
  const config = swarmNodeConfig(io.env) ?? (await configFor(flags, io));
  const report = await audit({
    config,
    env: io.env,
    concurrency: parseConcurrency(flags.concurrency),
    ...requestLimits(flags),
    ...(flags.hostRoot !== undefined ? { hostRoot: flags.hostRoot } : {}),
    ...(flags.images ? { images: cacheOptions(flags) } : {}),
  });
  for (const line of await swarmNodeLines(report, run)) io.stdout.write(`${line}\n`);
  return { kind: 'done' };
}

async function auditCommand(paths: string[], flags: AuditFlags, io: Io): Promise<Ending> {
  if (flags.swarmNode !== undefined) return swarmNodeCommand(flags.swarmNode, flags, io);
  const swarm = swarmOptionsOf(flags);
  if (swarm !== undefined) {
    try {
      return await auditCommandOf(paths, flags, io, swarm);
    } catch (error) {
      // A signal removed the job: what fails after that is not reported (main.ts ends the run).
      if (wasInterrupted()) return new Promise<never>(() => undefined);
      throw error;
    }
  }
  return auditCommandOf(paths, flags, io, undefined);
}

async function auditCommandOf(paths: string[], flags: AuditFlags, io: Io, swarm: SwarmOptions | undefined): Promise<Ending> {
  const worker = workerSetting(io.env['DOCKAUDIT_WORKER']);
  const targets = targetsOf(flags);
  const targetConcurrency = flags.targetConcurrency !== undefined ? parseTargetConcurrency(flags.targetConcurrency) : undefined;
  // One filesystem read as the host of every daemon would put one host's findings under each.
  if (targets.length > 1 && flags.hostRoot !== undefined) throw new UsageError('--host-root is the filesystem of one host: give it with one --host or --context');
  const maxFileBytes = flags.maxFileBytes !== undefined ? parseFileBytes(flags.maxFileBytes) : undefined;
  const given = flags.snapshot !== undefined ? await readSnapshot(flags.snapshot) : undefined;
  const views = reportViews(flags);
  return reportCommand(flags, io, { scans: flags.images === true }, (config, hooks) =>
    audit({
      ...hooks,
      ...views,
      config,
      worker,
      paths,
      composeFiles: flags.file ?? [],
      cwd: io.cwd,
      ...(maxFileBytes !== undefined ? { maxFileBytes } : {}),
      env: io.env,
      concurrency: parseConcurrency(flags.concurrency),
      ...requestLimits(flags),
      ...(targets.length > 0 ? { targets } : {}),
      ...(targetConcurrency !== undefined ? { targetConcurrency } : {}),
      ...(flags.hostRoot !== undefined ? { hostRoot: flags.hostRoot } : {}),
      ...(given !== undefined ? { snapshot: given } : {}),
      ...(flags.images ? { images: cacheOptions(flags) } : {}),
      ...(flags.checkRegistry ? { checkRegistry: flags.registryTimeout !== undefined ? { requestTimeoutMs: parseDuration(flags.registryTimeout, '--registry-timeout') } : true } : {}),
      // The job a Swarm audit creates is removed on SIGINT and SIGTERM too.
      ...(swarm !== undefined ? { swarm, onCreated: onInterrupt } : {}),
    }),
  );
}

async function lintCommand(paths: string[], flags: AuditFlags, io: Io): Promise<Ending> {
  const worker = workerSetting(io.env['DOCKAUDIT_WORKER']);
  const maxFileBytes = flags.maxFileBytes !== undefined ? parseFileBytes(flags.maxFileBytes) : undefined;
  const views = reportViews(flags);
  // One line per finding, `file:line:col severity rule message`, by file.
  return reportCommand({ ...flags, layout: 'files' }, io, {}, (config, hooks) =>
    lint(paths, { ...hooks, ...views, config, worker, composeFiles: flags.file ?? [], cwd: io.cwd, ...(maxFileBytes !== undefined ? { maxFileBytes } : {}) }),
  );
}

async function imageCommand(references: string[], flags: ImageFlags, io: Io): Promise<Ending> {
  if (flags.archive !== undefined && references.length > 0) throw new UsageError('give image references or --archive, not both');
  if (flags.archive === undefined && references.length === 0) throw new UsageError('name at least one image, or give --archive FILE|DIR');
  const views = reportViews(flags);
  const targets = targetsOf(flags);
  if (flags.archive !== undefined && targets.length > 0) throw new UsageError('--archive needs no daemon: give no --host or --context with it');
  const targetConcurrency = flags.targetConcurrency !== undefined ? parseTargetConcurrency(flags.targetConcurrency) : undefined;
  // One --host alone is read as it always was; contexts and several daemons go through targets.
  const single = targets.length === 1 && flags.host?.length === 1 ? flags.host[0] : undefined;
  return reportCommand(flags, io, { scans: true }, (config, hooks) =>
    scanImages(references, {
      ...hooks,
      ...views,
      config,
      env: io.env,
      ...cacheOptions(flags),
      ...requestLimits(flags),
      ...(single !== undefined ? { host: single } : targets.length > 0 ? { targets } : {}),
      ...(targetConcurrency !== undefined ? { targetConcurrency } : {}),
      ...(flags.archive !== undefined ? { archive: flags.archive } : {}),
    }),
  );
}

/** The containers a snapshot holds (--containers, --exclude-containers, --label), as the config collection reads them. */
function snapshotSelection(flags: ContainerFlags): { config?: Config } {
  if (flags.containers === undefined && flags.excludeContainers === undefined && flags.label === undefined) return {};
  return {
    config: {
      ...DEFAULT_CONFIG,
      ...(flags.containers !== undefined ? { containers: flags.containers } : {}),
      ...(flags.excludeContainers !== undefined ? { excludeContainers: flags.excludeContainers } : {}),
      ...(flags.label !== undefined ? { labels: flags.label } : {}),
    },
  };
}

async function snapshotCommand(flags: SnapshotFlags, io: Io): Promise<Ending> {
  const target = oneTarget(flags, 'snapshot');
  const terminal = await terminalHooks(io, () => undefined);
  let collected: Snapshot;
  try {
    collected = await snapshot({
      ...terminal.hooks,
      env: io.env,
      concurrency: parseConcurrency(flags.concurrency),
      ...requestLimits(flags),
      ...target,
      ...(flags.hostRoot !== undefined ? { hostRoot: flags.hostRoot } : {}),
      ...snapshotSelection(flags),
    });
  } finally {
    terminal.done();
  }
  // A snapshot holds what the daemon returns, environment values and build histories included:
  // only its owner may read the file.
  await emit(io, serialiseSnapshot(collected), flags.output, 0o600);
  return { kind: 'written', incomplete: incompleteCollection(collected) };
}

async function rulesCommand(flags: { format: string }, io: Io): Promise<Ending> {
  const metas = await listRules();
  if (flags.format === 'json') {
    io.stdout.write(`${JSON.stringify(metas, null, 2)}\n`);
  } else {
    for (const meta of metas) {
      // Controls the rule only cites, in parentheses: it does not decide them.
      const cis = [...meta.references.cis, ...(meta.references.related ?? []).map((control) => `(${control})`)].join(',') || '-';
      io.stdout.write(`${escapeControl(`${meta.id}  ${meta.alias.padEnd(34)} ${meta.severity.padEnd(8)} CIS ${cis}  ${meta.title}`)}\n`);
    }
  }
  return { kind: 'done' };
}

const formatOption = () =>
  new Option(
    '--format <format[:file]>',
    `report format, one of ${FORMATS.join(', ')} (default text); add :FILE to write that report to a file; repeat for several reports in one run (at most one to stdout)`,
  ).argParser(repeated);
const hostOption = () => new Option('-H, --host <address>', 'Docker daemon address (unix:///path, tcp://host:port or ssh://user@host[:port]); default the current context, else DOCKER_HOST');

/** Collects every value of a repeated flag, in order. */
const repeated = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];
const concurrencyOption = () => new Option('--concurrency <n>', 'parallel Engine API requests').default('16');

/** The layer cache and the caps of image scans, for `image` and `audit --images` (README, Images; docs/image-scan.md). */
function scanOptions(command: Command): Command {
  return command
    .addOption(new Option('--cache-dir <dir>', 'where layer scans are cached across runs (default $XDG_CACHE_HOME/dockaudit/layers)'))
    .addOption(new Option('--no-cache', 'scan every layer again and keep nothing on disk'))
    .addOption(new Option('--max-layer-entries <count>', 'most entries one layer may hold (default 1000000)'))
    .addOption(new Option('--max-layer-bytes <size>', 'most bytes one layer may decompress to (default 8GiB)'))
    .addOption(new Option('--max-image-bytes <size>', 'most bytes the layers of one image (or one archive) may decompress to (default 32GiB)'))
    .addOption(new Option('--max-layers <count>', 'most layers one image (or one archive) may hold (default 256)'))
    .addOption(new Option('--max-layer-file-bytes <size>', 'largest file in a layer whose content is searched for secrets (default 512KiB)'))
    .addOption(
      new Option('--vuln-db <path>', 'OSV advisories to match image packages against (JSON documents, osv.dev ecosystem zips, or directories of them); repeatable (default the copy dockaudit db update keeps)').argParser(repeated),
    )
    .addOption(new Option('--max-vuln-document-bytes <size>', 'largest advisory document read from the vulnerability database (default 16MiB)'))
    .addOption(new Option('--max-vuln-documents <count>', 'most documents read from the vulnerability database (default 2000000)'))
    .addOption(new Option('--max-vuln-db-bytes <size>', 'most bytes read (zip entries inflated) from the vulnerability database (default 8GiB)'));
}

/** The bounds of the requests to a daemon, for every command that talks to one. */
function limitOptions(command: Command): Command {
  return command
    .addOption(new Option('--max-response-bytes <size>', 'largest Engine API answer read, e.g. 64MiB (default 64MiB)'))
    .addOption(new Option('--request-timeout <duration>', 'time one Engine API call may take, in seconds or with ms/s/m (default 30)'))
    .addOption(new Option('--target-timeout <duration>', 'time the whole collection from the daemon may take (default 300 s; for image scans 30 min)'));
}

/** The flags of every command that writes a report. */
function reportOptions(command: Command): Command {
  return command
    .addOption(formatOption())
    .option('-o, --output <file>', 'write the report (each --format given without a file) to a file instead of stdout')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a failing finding is at or above this severity (default low)').choices(['critical', 'high', 'medium', 'low', 'info']),
    )
    .option('-c, --config <file>', 'config file (default .dockaudit.yml in the current directory)')
    .option('--show-passed', 'list passing checks in the text report')
    .option('--no-color', 'no colours in the text report')
    .option('--max-findings <n>', `list at most this many findings; the others are counted, per rule, in one finding each (default ${DEFAULT_LIMITS.findings})`)
    .option('--max-findings-per-subject <n>', `list at most this many findings of one rule about one subject (default ${DEFAULT_LIMITS.findingsPerRuleAndSubject})`)
    .addOption(new Option('--only <selectors>', 'run only these rules: ids, aliases, families, cis:5 or cis:5.5, checklist:FW-2 (repeatable, comma-separated)').argParser(repeated))
    .addOption(new Option('--skip <selectors>', 'leave out these rules (same selectors as --only; wins over it)').argParser(repeated))
    .option('--baseline <report.json>', 'compare with an earlier JSON report: mark findings new or unchanged, list resolved ones, and exit 1 only for new failing findings')
    .addOption(new Option('--benchmark <name>', 'add a verdict per control and a score: cis (CIS Docker Benchmark 1.6.0) or checklist').choices(['cis', 'checklist']));
}

/** Which containers of the daemon to audit, for `audit` (README, Choosing what to check). */
function containerOptions(command: Command): Command {
  return command
    .addOption(new Option('--containers <glob>', 'audit only the containers whose name matches (* and ?; repeatable); the others are not read').argParser(repeated))
    .addOption(new Option('--exclude-containers <glob>', 'leave out the containers whose name matches (repeatable); they are not read').argParser(repeated))
    .addOption(new Option('--label <key[=value]>', 'audit only the containers carrying this label (repeatable: every one must match)').argParser(repeated));
}

/** Adds groups of flags to a command, in order. */
function withFlags(command: Command, ...groups: ((command: Command) => Command)[]): Command {
  return groups.reduce((built, group) => group(built), command);
}

/** The daemon to read and the host it runs on. */
function targetOptions(command: Command): Command {
  return command
    .addOption(hostOption().argParser(repeated))
    .addOption(new Option('--context <name>', 'a Docker CLI context (docker context ls) instead of --host').argParser(repeated))
    .option('--host-root <dir>', "where the host's filesystem is mounted (default /)")
    .addOption(concurrencyOption());
}

/** Several daemons in one report, for `audit`. */
function manyTargetOptions(command: Command): Command {
  return command
    .addOption(hostOption().argParser(repeated))
    .addOption(new Option('--context <name>', 'a Docker CLI context (docker context ls); repeat --host and --context to audit several daemons in one report').argParser(repeated))
    .addOption(new Option('--target-concurrency <n>', 'daemons audited at once (default 4)'))
    .option('--host-root <dir>', "where the host's filesystem is mounted (default /)")
    .addOption(concurrencyOption());
}

/** Several daemons followed at once, for `watch`. */
function watchTargetOptions(command: Command): Command {
  return command
    .addOption(hostOption().argParser(repeated))
    .addOption(new Option('--context <name>', 'a Docker CLI context (docker context ls); repeat --host and --context to watch several daemons, each change naming its target').argParser(repeated))
    .option('--host-root <dir>', "where the host's filesystem is mounted (default /)")
    .addOption(concurrencyOption());
}

const composeFileOption = (command: Command): Command =>
  command
    .option(
      '-f, --file <compose-file>',
      'a Compose file; repeat to merge several into one project, as docker compose -f does',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--max-file-bytes <bytes>', `refuse (as an error) a Dockerfile or Compose file larger than this (default ${FILE_SIZE_LIMITS.defaultBytes}, 4 MiB; suffixes k, m)`);

/** The program, its commands and flags; each action hands its ending to `finish`. */
export function buildProgram(io: Io, finish: (ending: Ending) => void): Command {
  const program = new Command('dockaudit')
    .description('Audit Docker hosts, daemons, containers and images against the CIS Docker Benchmark 1.6.0.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(escapeControlKeepingLines(text)) });

  withFlags(
    program
      .command('audit', { isDefault: true })
      .description('audit the Docker host, and the Dockerfiles and Compose files under PATHs when given (the default command)')
      .argument('[paths...]', 'files or directories holding Dockerfiles and Compose files'),
    reportOptions,
    composeFileOption,
    manyTargetOptions,
    containerOptions,
    limitOptions,
    scanOptions,
  )
    .option('--snapshot <file>', 'audit a snapshot file instead of a live daemon')
    .option('--images', 'also scan the layers of every image a container uses (see dockaudit image)')
    .option('--check-registry', "ask the registries whether the tags of the images in use name newer images (DA462); off by default, as it goes to the network")
    .option('--registry-timeout <duration>', 'time one request to a registry may take (default 10 s)')
    .option('--swarm', 'audit every node of the Swarm this manager runs, with the dockaudit image as a one-shot global job (README, Auditing a Swarm)')
    .option('--swarm-image <image>', `the dockaudit image the nodes run; it must be on every node (default ${DEFAULT_SWARM_IMAGE})`)
    .option('--swarm-timeout <duration>', 'time every node has to send its report, e.g. 300, 90s or 5m (default 5m)')
    .option('--swarm-socket <path>', "the Docker socket's path on the nodes; {{.Node.ID}} and {{.Node.Hostname}} are replaced per node (default /var/run/docker.sock)")
    .addOption(new Option('--swarm-node <run>', "one node's part of a --swarm audit").hideHelp())
    .action(async (paths: string[], flags: AuditFlags) => finish(await auditCommand(paths, flags, io)));

  withFlags(
    program
      .command('lint')
      .description('check Dockerfiles and Compose files only, without a Docker daemon')
      .argument('[paths...]', 'files or directories holding Dockerfiles and Compose files'),
    reportOptions,
    composeFileOption,
  )
    .addOption(concurrencyOption().hideHelp())
    .action(async (paths: string[], flags: AuditFlags) => finish(await lintCommand(paths, flags, io)));

  withFlags(
    program
      .command('snapshot')
      .description('collect the facts of a Docker host into a JSON file, to audit later with audit --snapshot')
      .requiredOption('-o, --output <file>', 'file to write (- for stdout)'),
    targetOptions,
    containerOptions,
    limitOptions,
  ).action(async (flags: SnapshotFlags) => finish(await snapshotCommand(flags, io)));

  withFlags(
    program
      .command('image')
      .description('scan the layers of images (from the daemon, or an archive with --archive) and audit them with the image rules')
      .argument('[refs...]', 'images the daemon holds: name:tag, name@digest or id')
      .option('--archive <path>', 'a docker save tarball (plain, gzip or zstd) or an OCI image layout (directory or tar); no daemon needed'),
    reportOptions,
    scanOptions,
    limitOptions,
  )
    .addOption(hostOption().argParser(repeated))
    .addOption(new Option('--context <name>', 'a Docker CLI context (docker context ls); repeat --host and --context to scan the images of several daemons in one report').argParser(repeated))
    .addOption(new Option('--target-concurrency <n>', 'daemons scanned at once (default 4)'))
    .action(async (references: string[], flags: ImageFlags) => finish(await imageCommand(references, flags, io)));

  withFlags(
    program
      .command('watch')
      .description('audit the Docker host once, then follow its events and print each finding that appears, changes or is resolved, one line each'),
    watchTargetOptions,
    limitOptions,
    watchOptions,
  ).action(async (flags: WatchFlags) => {
    const config = await loadConfig({ ...(flags.config !== undefined ? { file: flags.config } : {}), cwd: io.cwd, env: io.env });
    await watchCommand(flags, config, io, { concurrency: parseConcurrency(flags.concurrency), bounds: requestLimits(flags) });
    finish({ kind: 'done' });
  });

  registerSlimCommand(program, io, (passed) => finish({ kind: 'proof', passed }));
  registerGuardCommand(program, io);
  registerFixCommand(program, io, () => finish({ kind: 'done' }));
  registerDbCommand(program, io, finish);

  program
    .command('rules')
    .description('list the rules')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (flags: { format: string }) => finish(await rulesCommand(flags, io)));

  return program;
}
