/**
 * `dockaudit fix daemon-json|audit-rules|compose`: flags, and where the generated file goes. The
 * planning is the library's (src/audit/fix.ts, from the rules' own fix knowledge); this file only
 * prints, or with --write replaces the file after keeping a timestamped backup of it.
 */
import { constants } from 'node:fs';
import { lstat, open, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { fixAuditRules, fixCompose, fixDaemonJson, loadConfig, readSnapshot, type Config, type FixHostOptions, type FixNote } from '../audit/index.js';
import { UsageError, describeError } from '../errors.js';
import { escapeControl } from '../escape.js';
import { writeFileCleanedOnInterrupt, type Io } from './output.js';

interface HostFlags {
  host?: string;
  context?: string;
  hostRoot?: string;
  snapshot?: string;
  config?: string;
  write?: boolean;
}

/** Where `--write` puts the audit rules, under the host root. */
const AUDIT_RULES_FILE = 'etc/audit/rules.d/docker.rules';
const OVERRIDE_FILE = 'compose.override.yaml';

/**
 * The largest file `--write` replaces (and keeps a backup of): what it replaces is read whole, to
 * compare and to copy, so a file of absurd size is refused rather than read.
 */
const REPLACED_FILE_BYTES = 16 * 1024 * 1024;

/** `2026-12-07T22:26:00.123Z` → `20261207T222600Z`: sorts by time, and fits a file name. */
function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Reads a file about to be replaced: its text and mode, or nothing when there is none. Links and non-files are refused. */
async function existing(path: string): Promise<{ text: string; mode: number } | undefined> {
  let info;
  try {
    info = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read ${path}: ${describeError(error)}`);
  }
  if (info.isSymbolicLink()) throw new UsageError(`refusing to write ${path}: it is a symbolic link (name the file it points to)`);
  if (!info.isFile()) throw new UsageError(`refusing to write ${path}: it is not a regular file`);
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    // Sized through the handle: the file read is the one judged, even if the name was swapped since.
    const size = (await handle.stat()).size;
    if (size > REPLACED_FILE_BYTES) throw new UsageError(`refusing to replace ${path}: it holds ${size} bytes, more than the ${REPLACED_FILE_BYTES} a file dockaudit replaces may`);
    return { text: await handle.readFile('utf8'), mode: info.mode & 0o777 };
  } finally {
    await handle.close();
  }
}

/**
 * Keeps `text` as a new owner-only file `PATH.bak.TIMESTAMP` (then `-1`, `-2`… when that name is
 * taken: an earlier backup is never replaced, nor a link at its name followed). Returns its name.
 */
async function writeBackup(path: string, text: string): Promise<string> {
  const base = join(dirname(path), `${basename(path)}.bak.${stamp(new Date())}`);
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const name = attempt === 0 ? base : `${base}-${attempt}`;
    let handle;
    try {
      handle = await open(name, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    try {
      await handle.chmod(0o600);
      await handle.writeFile(text);
      await handle.close();
    } catch (error) {
      await handle.close().catch(() => undefined);
      await unlink(name).catch(() => undefined);
      throw error;
    }
    return name;
  }
  throw new Error(`${base} and 99 more backup names are taken`);
}

/**
 * Replaces `path` with `text`: first a backup of what was there (`PATH.bak.TIMESTAMP`, readable
 * by its owner only), then the new file by rename, with the old file's mode (`mode` for a new
 * one). Nothing is written when the text is what the file holds already.
 */
async function writeWithBackup(io: Io, path: string, text: string, mode: number): Promise<void> {
  const before = await existing(path);
  if (before?.text === text) {
    io.stderr.write(`dockaudit: ${escapeControl(path)} already holds this: nothing written\n`);
    return;
  }
  try {
    if (before !== undefined) {
      const backup = await writeBackup(path, before.text);
      io.stderr.write(`dockaudit: kept the previous ${escapeControl(path)} as ${escapeControl(backup)}\n`);
    }
    await writeFileCleanedOnInterrupt(path, text, before?.mode ?? mode);
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${describeError(error)}`);
  }
  io.stderr.write(`dockaudit: wrote ${escapeControl(path)}\n`);
}

function noteLines(io: Io, notes: readonly (FixNote & { service?: string })[]): void {
  for (const note of notes) io.stderr.write(`dockaudit: ${note.ruleId}${note.service !== undefined ? ` (${escapeControl(note.service)})` : ''}: not changed: ${escapeControl(note.reason)}\n`);
}

async function configOf(flags: { config?: string }, io: Io): Promise<Config> {
  return loadConfig({ ...(flags.config !== undefined ? { file: flags.config } : {}), cwd: io.cwd, env: io.env });
}

async function hostOptions(flags: HostFlags, io: Io): Promise<FixHostOptions> {
  if (flags.host !== undefined && flags.context !== undefined) throw new UsageError('give --host or --context, not both');
  return {
    env: io.env,
    config: await configOf(flags, io),
    ...(flags.host !== undefined ? { host: flags.host } : {}),
    ...(flags.context !== undefined ? { context: flags.context } : {}),
    ...(flags.hostRoot !== undefined ? { hostRoot: flags.hostRoot } : {}),
    ...(flags.snapshot !== undefined ? { snapshot: await readSnapshot(flags.snapshot) } : {}),
  };
}

function show(value: unknown): string {
  return value === undefined ? 'absent' : JSON.stringify(value);
}

async function daemonJsonCommand(file: string | undefined, flags: HostFlags, io: Io): Promise<void> {
  const result = await fixDaemonJson({ ...(await hostOptions(flags, io)), ...(file !== undefined ? { file } : {}) });
  for (const change of result.changes) {
    const now = 'value' in change ? `set to ${show(change.value)}` : 'removed';
    io.stderr.write(`dockaudit: ${change.ruleId}: ${escapeControl(JSON.stringify(change.key))} ${now} (was ${escapeControl(show(change.previous))})\n`);
  }
  noteLines(io, result.notes);
  if (result.changes.length === 0) io.stderr.write(`dockaudit: no failing daemon rule asks for a change to ${escapeControl(result.path)}\n`);
  if (!flags.write) {
    io.stdout.write(result.text);
    return;
  }
  if (result.changes.length === 0) return;
  await writeWithBackup(io, result.path, result.text, 0o644);
  io.stderr.write('dockaudit: restart the daemon (systemctl restart docker) for the new settings to take effect\n');
}

async function auditRulesCommand(flags: HostFlags, io: Io): Promise<void> {
  const result = await fixAuditRules(await hostOptions(flags, io));
  for (const entry of result.leftOut) io.stderr.write(`dockaudit: ${entry.ruleId}: ${escapeControl(entry.path)} not watched: ${escapeControl(entry.message)}\n`);
  if (!flags.write) {
    io.stdout.write(result.text);
    return;
  }
  await writeWithBackup(io, join(flags.hostRoot ?? '/', AUDIT_RULES_FILE), result.text, 0o640);
  io.stderr.write('dockaudit: load the rules with augenrules --load (or restart auditd)\n');
}

async function composeCommand(file: string, flags: { config?: string; write?: boolean }, io: Io): Promise<void> {
  const result = await fixCompose(file, { cwd: io.cwd, config: await configOf(flags, io) });
  noteLines(io, result.notes);
  if (!flags.write) {
    io.stdout.write(result.text);
    return;
  }
  const target = join(dirname(resolve(io.cwd, file)), OVERRIDE_FILE);
  if ((await existing(target)) !== undefined) io.stderr.write(`dockaudit: ${escapeControl(target)} exists: it is replaced, and kept as a backup to merge from by hand\n`);
  await writeWithBackup(io, target, result.text, 0o644);
}

function hostFlags(command: Command): Command {
  return command
    .addOption(new Option('-H, --host <address>', 'Docker daemon address; default the current context, else DOCKER_HOST'))
    .option('--context <name>', 'a Docker CLI context instead of --host')
    .option('--host-root <dir>', "where the host's filesystem is mounted (default /)")
    .option('--snapshot <file>', 'plan from a snapshot file instead of the live daemon')
    .option('-c, --config <file>', 'config file (its ignores apply)');
}

/** `fix` and its subcommands; each ends as `done` (exit 0), or throws (exit 2). */
export function registerFixCommand(program: Command, io: Io, done: () => void): void {
  const fix = program.command('fix').description('print (or with --write, write) files that do what failing findings ask: daemon.json, audit rules, a Compose override');
  hostFlags(
    fix
      .command('daemon-json')
      .description("the host's daemon.json merged with the settings the failing daemon rules ask for (stderr says which rule asks for each change)")
      .argument('[file]', 'the daemon.json to merge into (default the one the daemon reads, under --host-root)'),
  )
    .option('--write', 'replace the file, keeping the previous one as FILE.bak.TIMESTAMP (owner-only); never without this flag')
    .action(async (file: string | undefined, flags: HostFlags) => {
      await daemonJsonCommand(file, flags, io);
      done();
    });
  hostFlags(fix.command('audit-rules').description('an auditd rules file watching the Docker paths of this host (binaries, data root, socket, /etc/docker, systemd units)'))
    .option('--write', `write it to ${AUDIT_RULES_FILE} under --host-root, keeping a previous one as a timestamped backup`)
    .action(async (flags: HostFlags) => {
      await auditRulesCommand(flags, io);
      done();
    });
  fix
    .command('compose')
    .description('a compose.override.yaml hardening the services of a Compose file as its failing findings ask, each setting naming its rule')
    .argument('<file>', 'the Compose file')
    .option('-c, --config <file>', 'config file (its ignores apply)')
    .option('--write', `write ${OVERRIDE_FILE} beside the file, keeping a previous one as a timestamped backup`)
    .action(async (file: string, flags: { config?: string; write?: boolean }) => {
      await composeCommand(file, flags, io);
      done();
    });
}
