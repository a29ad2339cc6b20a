/**
 * Writing reports: the format chosen, colours only on a terminal, stdout or a file.
 * Shared by every command that prints a report.
 */
import { closeSync, constants, lstatSync, openSync, realpathSync, writeSync, type Stats } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { listRules, writePrivateFile, type Report } from '../audit/index.js';
import { RULE_DOCS_URL } from '../version.js';
import { UsageError, describeError } from '../errors.js';
import { onInterrupt } from './interrupt.js';
import { formatCheckstyle } from '../report/checkstyle.js';
import { formatGithub } from '../report/github.js';
import { formatGitlab } from '../report/gitlab.js';
import { htmlPieces } from '../report/html.js';
import { jsonPieces } from '../report/json.js';
import { formatJunit } from '../report/junit.js';
import { formatMarkdown } from '../report/markdown.js';
import { formatSarif, type SarifOptions } from '../report/sarif.js';
import { formatText } from '../report/text.js';
import { formatLintText } from '../report/lint-text.js';

export const FORMATS = ['text', 'json', 'sarif', 'junit', 'html', 'markdown', 'github', 'gitlab', 'checkstyle'] as const;
export type Format = (typeof FORMATS)[number];

/** One report to write: its format, and its file (none for stdout). */
export interface OutputSpec {
  format: Format;
  path?: string;
}

/** The streams and environment a command runs with. */
export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface OutputFlags {
  format: Format;
  /** `files`: the text report one line per finding, by file (`lint`); default by section. */
  layout?: 'files';
  output?: string;
  color?: boolean;
  showPassed?: boolean;
}

function useColor(io: Io, flags: Pick<OutputFlags, 'output' | 'color'>): boolean {
  if (flags.color === false || flags.output !== undefined) return false;
  if ('NO_COLOR' in io.env && io.env['NO_COLOR'] !== '') return false;
  return io.stdout.isTTY === true;
}

/**
 * Lets a reader that goes away (`dockaudit audit | head -1`) end the writing quietly, as with any
 * Unix filter. Node reports the closed pipe as an EPIPE 'error' on the stream, which, unhandled,
 * ends the process with a stack trace; the stream is destroyed by then, and `emit` stops
 * writing. Any other write error goes to `onError`.
 */
export function endQuietlyOnClosedPipe(stream: NodeJS.WritableStream, onError: (error: Error) => void): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') onError(error);
  });
}

/**
 * `writePrivateFile`, with its temporary file removed if a signal ends the process while it is
 * written (the temporary files of this process for `path` are named `.NAME.PID.*.tmp`).
 */
export async function writeFileCleanedOnInterrupt(path: string, text: string | Iterable<string>, mode: number): Promise<void> {
  const prefix = `.${basename(path)}.${process.pid}.`;
  const forget = onInterrupt(async () => {
    const names = await readdir(dirname(path)).catch(() => [] as string[]);
    await Promise.all(names.filter((name) => name.startsWith(prefix) && name.endsWith('.tmp')).map((name) => unlink(`${dirname(path)}/${name}`).catch(() => undefined)));
  });
  try {
    await writePrivateFile(path, text, mode);
  } finally {
    forget();
  }
}

/**
 * Writes text, whole or in pieces, to stdout (`-` or no file) or to a file. A file is always
 * created afresh with `mode` (0600 by default: reports and snapshots name containers, command
 * lines and environment variables) by `writePrivateFile`, the same writer as dockaudit's caches:
 * a new temporary file, then a rename over the target. A character device or a FIFO (`/dev/null`, a pipe) keeps nothing, so it is written
 * to as it is. Anything else (a symbolic link, a directory, a block device) is refused, never
 * followed or replaced.
 */
export async function emit(io: Io, text: string | Iterable<string>, output: string | undefined, mode = 0o600): Promise<void> {
  const pieces = typeof text === 'string' ? [text] : text;
  if (output === undefined || output === '-') {
    for (const piece of pieces) {
      // Its reader went away (see endQuietlyOnClosedPipe): nothing more to format or write.
      if (io.stdout.destroyed) return;
      io.stdout.write(piece);
    }
    return;
  }
  if (isStream(output)) {
    writeToStream(output, pieces);
    return;
  }
  try {
    await writeFileCleanedOnInterrupt(output, pieces, mode);
  } catch (error) {
    throw new UsageError(`cannot write ${output}: ${describeError(error)}`);
  }
}

/**
 * Whether `output` is a character device or a FIFO, written in place; false for a regular file or
 * a name not taken yet, replaced by rename; throws for anything else.
 */
function isStream(output: string): boolean {
  let stats: Stats;
  try {
    stats = lstatSync(output);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new UsageError(`cannot write ${output}: ${describeError(error)}`);
  }
  if (stats.isSymbolicLink()) throw new UsageError(`refusing to write ${output}: it is a symbolic link (name the file it points to, or remove the link; - is stdout)`);
  if (stats.isCharacterDevice() || stats.isFIFO()) return true;
  if (!stats.isFile()) throw new UsageError(`refusing to write ${output}: it is not a regular file`);
  return false;
}

/** Writes to an existing device or FIFO, without creating anything or following a link swapped in since. */
function writeToStream(output: string, pieces: Iterable<string>): void {
  let fd: number | undefined;
  try {
    fd = openSync(output, constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0));
    for (const piece of pieces) writeSync(fd, piece);
  } catch (error) {
    throw new UsageError(`cannot write ${output}: ${describeError(error)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * What SARIF takes besides the report: each rule's rationale (`fullDescription`) and where the
 * rule pages are (`helpUri`): DOCKAUDIT_RULE_DOCS_URL, else the repository package.json names.
 */
async function sarifOptionsOf(io: Io): Promise<SarifOptions> {
  const rationales = new Map((await listRules()).map((meta) => [meta.id, meta.rationale]));
  const ruleDocsUrl = io.env['DOCKAUDIT_RULE_DOCS_URL'] || RULE_DOCS_URL;
  return { rationales, ...(ruleDocsUrl ? { ruleDocsUrl } : {}) };
}

/** The report in one format, whole or in pieces. */
function formatted(io: Io, report: Report, format: Format, flags: Omit<OutputFlags, 'format'>, sarif: SarifOptions): string | Iterable<string> {
  switch (format) {
    case 'json':
      return jsonPieces(report);
    case 'sarif':
      return formatSarif(report, sarif);
    case 'junit':
      return formatJunit(report);
    case 'html':
      return htmlPieces(report);
    case 'markdown':
      return formatMarkdown(report);
    case 'github':
      return formatGithub(report);
    case 'gitlab':
      return formatGitlab(report);
    case 'checkstyle':
      return formatCheckstyle(report);
    case 'text':
      return (flags.layout === 'files' ? formatLintText : formatText)(report, { color: useColor(io, flags), showPassed: flags.showPassed === true });
  }
}

/** Formats the report as the flags ask and writes it. */
export async function writeReport(io: Io, report: Report, flags: OutputFlags): Promise<void> {
  const sarif = flags.format === 'sarif' ? await sarifOptionsOf(io) : {};
  await emit(io, formatted(io, report, flags.format, flags, sarif), flags.output);
}

function isFormat(name: string): name is Format {
  return (FORMATS as readonly string[]).includes(name);
}

/**
 * The file a path names, however it is spelt (`a`, `./a`, `dir/../a`, through a linked
 * directory): its directory resolved, links included, and its own name.
 */
function fileKey(path: string): string {
  const absolute = resolve(path);
  try {
    return `${realpathSync(dirname(absolute))}/${basename(absolute)}`;
  } catch {
    return absolute;
  }
}

/**
 * The reports asked for by every `--format FORMAT[:FILE]` (text when none): a format without a
 * file goes to `--output` when given, else to stdout; `FORMAT:-` goes to stdout. At most one
 * goes to stdout, and no two to one file.
 */
export function outputSpecs(formats: readonly string[] | undefined, output: string | undefined): OutputSpec[] {
  const specs = (formats === undefined || formats.length === 0 ? ['text'] : formats).map((value): OutputSpec => {
    const colon = value.indexOf(':');
    const name = colon < 0 ? value : value.slice(0, colon);
    const file = colon < 0 ? undefined : value.slice(colon + 1);
    if (!isFormat(name)) throw new UsageError(`unknown format '${name}' in --format ${value}: choose one of ${FORMATS.join(', ')}, optionally followed by :FILE`);
    if (file === '') throw new UsageError(`--format ${value}: name a file after the colon, or - for stdout`);
    const path = file === undefined ? output : file;
    return { format: name, ...(path !== undefined && path !== '-' ? { path } : {}) };
  });
  const toStdout = specs.filter((spec) => spec.path === undefined);
  if (toStdout.length > 1) {
    throw new UsageError(`only one report can go to stdout, and ${toStdout.map((spec) => spec.format).join(' and ')} would: give the others a file (--format ${toStdout[1]?.format}:FILE)`);
  }
  const seen = new Map<string, string>();
  for (const spec of specs) {
    if (spec.path === undefined) continue;
    const key = fileKey(spec.path);
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new UsageError(`two reports would be written to ${spec.path === earlier ? spec.path : `${earlier} and ${spec.path}, one file`}: give each --format its own file`);
    seen.set(key, spec.path);
  }
  return specs;
}

/**
 * Writes the report once per spec, in order. A file that cannot be written does not stop the
 * others; the first such error is thrown once all were tried.
 */
export async function writeReports(io: Io, report: Report, specs: readonly OutputSpec[], flags: Omit<OutputFlags, 'format' | 'output'>): Promise<void> {
  let failure: unknown;
  const sarif = specs.some((spec) => spec.format === 'sarif') ? await sarifOptionsOf(io) : {};
  for (const spec of specs) {
    try {
      const specFlags = { ...flags, ...(spec.path !== undefined ? { output: spec.path } : {}) };
      await emit(io, formatted(io, report, spec.format, specFlags, sarif), spec.path);
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}
