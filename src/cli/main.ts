/**
 * The command line: arguments, config layering, file writes and exit codes — nothing else.
 * This is the one place where errors become messages and exit codes.
 */
import { readFile } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import { filesOnlySnapshot } from '../collect/files-only.js';
import { DockauditError, SnapshotError, UsageError, describeError } from '../errors.js';
import type { Report } from '../engine/report.js';
import { evaluateRules, exceedsThreshold, hasErrors, ruleNames, runRules, runRulesAlongside, type RunOptions } from '../engine/run.js';
import { DEFAULT_LIMITS, type Config } from '../engine/config.js';
import { loadRules } from '../rules/registry.js';
import { RULE_FAMILIES, type AnyRule, type RuleFamily } from '../rules/types.js';
import { parseSnapshot, serialiseSnapshot } from '../snapshot/io.js';
import { FILE_SIZE_LIMITS } from '../snapshot/files.js';
import { isUnavailable, type Snapshot } from '../snapshot/types.js';
import { VERSION } from '../version.js';
import { findConfigFile, loadConfig } from './config-file.js';
import { cacheDirOption, noCacheOption, registerImageCommand, scanImagesForAudit } from './image-command.js';
import { FORMATS, emit, writeReport, type Format, type Io } from './output.js';
import { registerSlimCommand } from './slim-command.js';
import { createProgress } from './progress.js';
import type { RulesWorker, RulesWorkerFailed } from './rules-worker.js';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_CANNOT_AUDIT = 2;

interface AuditFlags {
  format: Format;
  output?: string;
  failOn?: string;
  host?: string;
  config?: string;
  snapshot?: string;
  showPassed?: boolean;
  color?: boolean;
  concurrency: string;
  hostRoot?: string;
  images?: boolean;
  file?: string[];
  cacheDir?: string;
  cache?: boolean;
  maxFileBytes?: string;
  maxFindings?: string;
  maxFindingsPerSubject?: string;
}

function parseConcurrency(value: string): number {
  const parsed = Number.parseInt(value, 10);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 256) throw new UsageError(`--concurrency must be between 1 and 256, got ${value}`);
  return parsed;
}

const BYTE_UNITS: Record<string, number> = { '': 1, k: 1024, kib: 1024, m: 1024 * 1024, mib: 1024 * 1024 };

/** `--max-file-bytes`: a number of bytes, or KiB/MiB with a suffix (`512k`, `4MiB`). */
export function parseByteCount(value: string, flag: string, ceiling: number): number {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(value.trim());
  const unit = match ? BYTE_UNITS[(match[2] as string).toLowerCase()] : undefined;
  const bytes = match && unit ? Number(match[1]) * unit : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > ceiling) {
    throw new UsageError(`${flag} must be a number of bytes from 1 to ${ceiling} (suffixes k and m allowed), got ${value}`);
  }
  return bytes;
}

/** A positive count from a flag (`--max-findings`). */
function parseCount(value: string, flag: string): number {
  const parsed = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < 1) throw new UsageError(`${flag} must be a whole number of at least 1, got ${value}`);
  return parsed;
}

async function readSnapshotFile(path: string): Promise<Snapshot> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SnapshotError(`cannot read snapshot ${path}: ${describeError(error)}`);
  }
  return parseSnapshot(text, path);
}

/** Ids and aliases to check the config against: those loaded, or all when the config names others. */
async function knownNames(config: Config, loaded: AnyRule[]): Promise<Set<string>> {
  const known = ruleNames(loaded);
  const named = [...Object.keys(config.rules), ...config.ignore.map((entry) => entry.rule)];
  return named.every((name) => known.has(name)) ? known : ruleNames(await loadRules());
}

/** Rules that can be decided from files alone, for `lint`. */
function decidableFromFiles(rule: AnyRule): boolean {
  return rule.meta.needs.every((need) => need === 'files' || need === 'dockerfiles' || need === 'containers');
}

/**
 * With DOCKAUDIT_TIMING=1, each call prints to stderr how long the phase that just ended took
 * (the first one counts from process start), so slow runs can be explained.
 */
function phaseTimer(io: Io): (phase: string) => void {
  if (!io.env['DOCKAUDIT_TIMING']) return () => undefined;
  let last = performance.now();
  timingNote(io, 'start-up', last);
  return (phase) => {
    const now = performance.now();
    timingNote(io, phase, now - last);
    last = now;
  };
}

/** With DOCKAUDIT_TIMING=1, one line on stderr: how long a phase, or the worker thread's evaluation, took. */
function timingNote(io: Io, what: string, milliseconds: number): void {
  if (io.env['DOCKAUDIT_TIMING']) io.stderr.write(`dockaudit timing: ${what} ${milliseconds.toFixed(0)} ms\n`);
}

/** Below this many Dockerfiles, starting a worker thread costs more than it saves. */
const WORKER_MIN_DOCKERFILES = 100;

const WORKER_SETTINGS = ['auto', 'on', 'off'];

/**
 * Whether the Dockerfile rules run on a worker thread while the main thread runs the others.
 * DOCKAUDIT_WORKER=off never does, =on does whenever there is a Dockerfile; by default (auto) a
 * run over many Dockerfiles does. Never when image histories were scanned: the Dockerfile rules
 * judge those too, on the main thread.
 */
function dockerfilesApart(snapshot: Snapshot, env: NodeJS.ProcessEnv): boolean {
  const setting = env['DOCKAUDIT_WORKER'] || 'auto';
  if (!WORKER_SETTINGS.includes(setting)) throw new UsageError(`DOCKAUDIT_WORKER must be auto, on or off, got ${setting}`);
  if (setting === 'off' || snapshot.imageContents !== undefined || !snapshot.files) return false;
  let dockerfiles = 0;
  for (const file of snapshot.files.files) if (file.kind === 'dockerfile' && file.content !== undefined) dockerfiles += 1;
  return setting === 'on' ? dockerfiles > 0 : dockerfiles >= WORKER_MIN_DOCKERFILES;
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
async function evaluateWithWorker(worker: DockerfileWorker, snapshot: Snapshot, rules: AnyRule[], config: Config, options: RunOptions, io: Io): Promise<Report> {
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
        timingNote(io, 'worker', milliseconds);
        return evaluation;
      },
      (error: unknown) => {
        if (!(error instanceof worker.failed)) throw error;
        io.stderr.write(`dockaudit: ${error.message}; the Dockerfile rules run on the main thread instead\n`);
        return evaluateRules(snapshot, apart, config, options);
      },
    );
  return runRulesAlongside(snapshot, rules.filter((rule) => rule.meta.family !== 'dockerfile'), config, options, elsewhere);
}

/** Engine options; the Compose model (YAML parser, Compose schema) loads only when there are Compose files to map. */
async function engineOptions(snapshot: Snapshot, known: Set<string>): Promise<RunOptions> {
  const hasCompose = snapshot.files?.files.some((file) => file.kind === 'compose') === true;
  const fileWorkloads = hasCompose ? (await import('../snapshot/from-compose.js')).workloadsFromCompose : undefined;
  return { toolVersion: VERSION, knownRuleNames: known, ...(fileWorkloads ? { fileWorkloads } : {}) };
}

async function audit(paths: string[], flags: AuditFlags, io: Io, mode: 'audit' | 'lint'): Promise<number> {
  const config = await loadConfig(findConfigFile(flags.config, io.env, io.cwd), io.env, { ...(flags.failOn ? { failOn: flags.failOn } : {}) });
  if (flags.maxFindings !== undefined) config.limits.findings = parseCount(flags.maxFindings, '--max-findings');
  if (flags.maxFindingsPerSubject !== undefined) config.limits.findingsPerRuleAndSubject = parseCount(flags.maxFindingsPerSubject, '--max-findings-per-subject');
  const timing = phaseTimer(io);
  // The rule modules a host audit needs load while the daemon answers; the loader keeps them,
  // so loadRules below finds them ready. A failure here surfaces there.
  const hostFamilies = RULE_FAMILIES.filter((family) => family !== 'dockerfile' && family !== 'compose');
  if (mode === 'audit' && !flags.snapshot) loadRules(hostFamilies).catch(() => undefined);
  const composeFiles = flags.file ?? [];
  const maxFileBytes = parseByteCount(flags.maxFileBytes ?? String(FILE_SIZE_LIMITS.defaultBytes), '--max-file-bytes', FILE_SIZE_LIMITS.ceilingBytes);
  const files =
    paths.length > 0 || composeFiles.length > 0 ? await (await import('../collect/files.js')).collectFiles(paths, io.cwd, composeFiles, { maxFileBytes }) : undefined;
  let snapshot: Snapshot;
  if (flags.snapshot) {
    snapshot = await readSnapshotFile(flags.snapshot);
  } else if (mode === 'lint') {
    snapshot = filesOnlySnapshot(files ?? { files: [] });
  } else {
    const progress = createProgress(io.stderr);
    try {
      const { collectSnapshot } = await import('../collect/index.js');
      snapshot = await collectSnapshot({
        ...(flags.host ? { host: flags.host } : {}),
        env: io.env,
        concurrency: parseConcurrency(flags.concurrency),
        ...(flags.hostRoot ? { hostRoot: flags.hostRoot } : {}),
        progress: progress.update,
      });
    } finally {
      progress.done();
    }
    if (flags.images) await scanImagesForAudit(snapshot, flags, io);
  }
  if (files) snapshot.files = files;
  timing('collect');
  // Started before the rules load, so the thread boots while this one loads them.
  const worker = dockerfilesApart(snapshot, io.env) ? await startDockerfileWorker() : undefined;
  let report: Report;
  try {
    const fileFamilies: RuleFamily[] = snapshot.files
      ? ['dockerfile', 'compose']
      : snapshot.imageContents !== undefined
        ? ['dockerfile'] // the Dockerfile rules also read the scanned images' build histories
        : [];
    const families: RuleFamily[] = mode === 'lint' ? ['container', ...fileFamilies] : [...hostFamilies, ...fileFamilies];
    const allRules = await loadRules(families);
    const rules = mode === 'lint' ? allRules.filter(decidableFromFiles) : allRules;
    timing('load rules');
    const options = await engineOptions(snapshot, await knownNames(config, allRules));
    report = worker ? await evaluateWithWorker(worker, snapshot, rules, config, options, io) : runRules(snapshot, rules, config, options);
  } finally {
    worker?.handle.stop();
  }
  timing('evaluate');
  await writeReport(io, report, flags);
  timing('report');
  // A file that was found or named but not read was not audited: the run cannot pass, even when
  // the rule that reports it is turned off (a .env file has no rule of its own).
  let refused = false;
  for (const file of files?.files ?? []) {
    if (file.skipped === undefined) continue;
    refused = true;
    io.stderr.write(`dockaudit: not audited: ${file.path}: ${file.skipped}\n`);
  }
  if (mode === 'audit' && isUnavailable(snapshot.daemon)) {
    io.stderr.write(`dockaudit: ${snapshot.daemon.reason}\n`);
    return EXIT_CANNOT_AUDIT;
  }
  if (hasErrors(report)) {
    io.stderr.write('dockaudit: some checks could not be completed; see the findings with status "error"\n');
    return EXIT_CANNOT_AUDIT;
  }
  if (refused) return EXIT_CANNOT_AUDIT;
  return exceedsThreshold(report, config.failOn) ? EXIT_FINDINGS : EXIT_CLEAN;
}

async function snapshotCommand(flags: { output: string; host?: string; concurrency: string; hostRoot?: string }, io: Io): Promise<number> {
  const progress = createProgress(io.stderr);
  let snapshot: Snapshot;
  try {
    const { collectSnapshot } = await import('../collect/index.js');
    snapshot = await collectSnapshot({
      ...(flags.host ? { host: flags.host } : {}),
      ...(flags.hostRoot ? { hostRoot: flags.hostRoot } : {}),
      env: io.env,
      concurrency: parseConcurrency(flags.concurrency),
      progress: progress.update,
    });
  } finally {
    progress.done();
  }
  // A snapshot holds what the daemon returns, environment values and build histories included:
  // only its owner may read the file.
  await emit(io, serialiseSnapshot(snapshot), flags.output, 0o600);
  if (isUnavailable(snapshot.daemon)) {
    io.stderr.write(`dockaudit: ${snapshot.daemon.reason}\n`);
    return EXIT_CANNOT_AUDIT;
  }
  return EXIT_CLEAN;
}

async function listRules(flags: { format: string }, io: Io): Promise<number> {
  const rules = await loadRules();
  if (flags.format === 'json') {
    io.stdout.write(`${JSON.stringify(rules.map((rule) => rule.meta), null, 2)}\n`);
  } else {
    for (const { meta } of rules) {
      io.stdout.write(`${meta.id}  ${meta.alias.padEnd(34)} ${meta.severity.padEnd(8)} CIS ${meta.references.cis.join(',') || '-'}  ${meta.title}\n`);
    }
  }
  return EXIT_CLEAN;
}

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('dockaudit')
    .description('Audit Docker hosts, daemons, containers and images against the CIS Docker Benchmark 1.6.0.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });

  const formatOption = () => new Option('--format <format>', 'output format').choices(FORMATS).default('text');
  const hostOption = () => new Option('-H, --host <address>', 'Docker daemon address (unix:///path or tcp://host:port); default DOCKER_HOST');
  const concurrencyOption = () => new Option('--concurrency <n>', 'parallel Engine API requests').default('16');

  const auditOptions = (command: Command): Command =>
    command
      .addOption(formatOption())
      .option('-o, --output <file>', 'write the report to a file instead of stdout')
      .addOption(
        new Option('--fail-on <severity>', 'exit 1 when a failing finding is at or above this severity (default low)').choices([
          'critical',
          'high',
          'medium',
          'low',
          'info',
        ]),
      )
      .option('-c, --config <file>', 'config file (default .dockaudit.yml in the current directory)')
      .option('--show-passed', 'list passing checks in the text report')
      .option('--no-color', 'no colours in the text report')
      .option('--max-file-bytes <bytes>', `refuse (as an error) a Dockerfile or Compose file larger than this (default ${FILE_SIZE_LIMITS.defaultBytes}, 4 MiB; suffixes k, m)`)
      .option('--max-findings <n>', `list at most this many findings; the others are counted, per rule, in one finding each (default ${DEFAULT_LIMITS.findings})`)
      .option('--max-findings-per-subject <n>', `list at most this many findings of one rule about one subject (default ${DEFAULT_LIMITS.findingsPerRuleAndSubject})`)
      .option('-f, --file <compose-file>', 'a Compose file; repeat to merge several into one project, as docker compose -f does', (value: string, previous: string[]) => [...previous, value], [] as string[]);

  auditOptions(
    program
      .command('audit', { isDefault: true })
      .description('audit the Docker host, and the Dockerfiles and Compose files under PATHs when given (the default command)')
      .argument('[paths...]', 'files or directories holding Dockerfiles and Compose files'),
  )
    .addOption(hostOption())
    .option('--snapshot <file>', 'audit a snapshot file instead of a live daemon')
    .option('--host-root <dir>', "where the host's filesystem is mounted (default /)")
    .addOption(concurrencyOption())
    .option('--images', 'also scan the layers of every image a container uses (see dockaudit image)')
    .addOption(cacheDirOption())
    .addOption(noCacheOption())
    .action(async (paths: string[], flags: AuditFlags) => setExit(await audit(paths, flags, io, 'audit')));

  auditOptions(
    program
      .command('lint')
      .description('check Dockerfiles and Compose files only, without a Docker daemon')
      .argument('[paths...]', 'files or directories holding Dockerfiles and Compose files'),
  )
    .addOption(concurrencyOption().hideHelp())
    .action(async (paths: string[], flags: AuditFlags) => setExit(await audit(paths, flags, io, 'lint')));

  program
    .command('snapshot')
    .description('collect the facts of a Docker host into a JSON file, to audit later with audit --snapshot')
    .requiredOption('-o, --output <file>', 'file to write (- for stdout)')
    .addOption(hostOption())
    .option('--host-root <dir>', "where the host's filesystem is mounted (default /)")
    .addOption(concurrencyOption())
    .action(async (flags: { output: string; host?: string; concurrency: string; hostRoot?: string }) => setExit(await snapshotCommand(flags, io)));

  registerImageCommand(program, io, setExit);
  registerSlimCommand(program, io, setExit);

  program
    .command('rules')
    .description('list the rules')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (flags: { format: string }) => setExit(await listRules(flags, io)));

  return program;
}

/** Runs the CLI; returns the exit code. The only place errors become exit codes. */
export async function run(argv: string[], io: Io): Promise<number> {
  let exitCode = EXIT_CLEAN;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_CLEAN : EXIT_CANNOT_AUDIT;
    }
    if (error instanceof DockauditError) {
      io.stderr.write(`dockaudit: ${error.message}\n`);
      return EXIT_CANNOT_AUDIT;
    }
    io.stderr.write(`dockaudit: internal error: ${describeError(error)}\n`);
    if (io.env['DOCKAUDIT_DEBUG']) io.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return EXIT_CANNOT_AUDIT;
  }
}

/** Entry point for bin/dockaudit. */
export async function main(argv: string[]): Promise<void> {
  const code = await run(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
  process.exitCode = code;
}
