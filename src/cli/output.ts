/**
 * Writing reports: the format chosen, colours only on a terminal, stdout or a file.
 * Shared by every command that prints a report.
 */
import { writeFile } from 'node:fs/promises';
import type { Report } from '../engine/report.js';
import { UsageError, describeError } from '../errors.js';
import { formatJson } from '../report/json.js';
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

/** Writes text to stdout (`-` or no file) or to a file. */
export async function emit(io: Io, text: string, output: string | undefined): Promise<void> {
  if (output === undefined || output === '-') {
    io.stdout.write(text);
    return;
  }
  try {
    await writeFile(output, text);
  } catch (error) {
    throw new UsageError(`cannot write ${output}: ${describeError(error)}`);
  }
}

/** Formats the report as the flags ask and writes it. */
export async function writeReport(io: Io, report: Report, flags: OutputFlags): Promise<void> {
  const formatters: Record<Format, () => string> = {
    json: () => formatJson(report),
    sarif: () => formatSarif(report),
    junit: () => formatJunit(report),
    text: () => formatText(report, { color: useColor(io, flags), showPassed: flags.showPassed === true }),
  };
  await emit(io, formatters[flags.format](), flags.output);
}
