/**
 * Writing reports: the format chosen, colours only on a terminal, stdout or a file.
 * Shared by every command that prints a report.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Report } from '../engine/report.js';
import { UsageError, describeError } from '../errors.js';
import { jsonPieces } from '../report/json.js';
import { formatJunit } from '../report/junit.js';
import { formatSarif } from '../report/sarif.js';
import { formatText } from '../report/text.js';

export const FORMATS = ['text', 'json', 'sarif', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

/** The streams and environment a command runs with. */
export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface OutputFlags {
  format: Format;
  output?: string;
  color?: boolean;
  showPassed?: boolean;
}

function useColor(io: Io, flags: OutputFlags): boolean {
  if (flags.color === false || flags.output !== undefined) return false;
  if ('NO_COLOR' in io.env && io.env['NO_COLOR'] !== '') return false;
  return io.stdout.isTTY === true;
}

/**
 * Writes text, whole or in pieces, to stdout (`-` or no file) or to a file; a file created here
 * gets `mode` (before the umask).
 */
export async function emit(io: Io, text: string | Iterable<string>, output: string | undefined, mode = 0o666): Promise<void> {
  const pieces = typeof text === 'string' ? [text] : text;
  if (output === undefined || output === '-') {
    for (const piece of pieces) io.stdout.write(piece);
    return;
  }
  let fd: number | undefined;
  try {
    fd = openSync(output, 'w', mode);
    for (const piece of pieces) writeSync(fd, piece);
  } catch (error) {
    throw new UsageError(`cannot write ${output}: ${describeError(error)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Formats the report as the flags ask and writes it. */
export async function writeReport(io: Io, report: Report, flags: OutputFlags): Promise<void> {
  const formatters: Record<Format, () => string | Iterable<string>> = {
    json: () => jsonPieces(report),
    sarif: () => formatSarif(report),
    junit: () => formatJunit(report),
    text: () => formatText(report, { color: useColor(io, flags), showPassed: flags.showPassed === true }),
  };
  await emit(io, formatters[flags.format](), flags.output);
}
