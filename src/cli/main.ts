/**
 * The command line's boundary: the one place where how a command ended, or the error it threw,
 * becomes a message and an exit code. The commands are in program.ts, the work in src/audit.
 */
import { CommanderError } from 'commander';
import { DockauditError, describeError } from '../errors.js';
import { escapeControl } from '../escape.js';
import { pendingCleanups, runCleanups } from './interrupt.js';
import { endQuietlyOnClosedPipe, type Io } from './output.js';
import { buildProgram, type Ending } from './program.js';

export const EXIT_CLEAN = 0;
/** Failing findings at or above `--fail-on`; for `slim`, a proof that failed. */
export const EXIT_FINDINGS = 1;
/** Could not audit: bad arguments, config or snapshot, a daemon out of reach, a rule that failed. */
export const EXIT_CANNOT_AUDIT = 2;

function exitCodeOf(ending: Ending, io: Io): number {
  switch (ending.kind) {
    case 'done':
      return EXIT_CLEAN;
    case 'proof':
      return ending.passed ? EXIT_CLEAN : EXIT_FINDINGS;
    case 'written':
      for (const reason of ending.incomplete) io.stderr.write(`dockaudit: ${escapeControl(reason)}\n`);
      return ending.incomplete.length > 0 ? EXIT_CANNOT_AUDIT : EXIT_CLEAN;
    case 'report': {
      const { outcome } = ending;
      if (outcome.kind === 'incomplete') {
        for (const reason of outcome.reasons) io.stderr.write(`dockaudit: ${escapeControl(reason)}\n`);
        return EXIT_CANNOT_AUDIT;
      }
      return outcome.kind === 'findings' ? EXIT_FINDINGS : EXIT_CLEAN;
    }
  }
}

/** 128 + the signal's number, as a shell reports a command a signal ended. */
const EXIT_ON_SIGNAL: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };
/** How long undoing what a command created may take after a signal. */
const CLEANUP_AFTER_SIGNAL_MS = 20_000;

/**
 * On SIGINT or SIGTERM: undo what the running command registered (see interrupt.ts), then end
 * with 130 or 143. A second signal while cleaning up does not cut the cleanup short.
 */
function exitOnSignals(): void {
  let ending = false;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
    if (ending) return;
    ending = true;
    if (pendingCleanups() > 0) process.stderr.write(`dockaudit: ${signal}: removing what the command created\n`);
    void runCleanups(CLEANUP_AFTER_SIGNAL_MS).then(() => process.exit(EXIT_ON_SIGNAL[signal]));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Runs the CLI; returns the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  let ending: Ending = { kind: 'done' };
  const program = buildProgram(io, (ended) => {
    ending = ended;
  });
  try {
    await program.parseAsync(argv);
    return exitCodeOf(ending, io);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_CLEAN : EXIT_CANNOT_AUDIT;
    }
    if (error instanceof DockauditError) {
      io.stderr.write(`dockaudit: ${escapeControl(error.message)}\n`);
      return EXIT_CANNOT_AUDIT;
    }
    io.stderr.write(`dockaudit: internal error: ${escapeControl(describeError(error))}\n`);
    if (io.env['DOCKAUDIT_DEBUG']) io.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return EXIT_CANNOT_AUDIT;
  }
}

/** Entry point for bin/dockaudit. */
export async function main(argv: string[]): Promise<void> {
  let writeFailed = false;
  endQuietlyOnClosedPipe(process.stdout, (error) => {
    // The error may come after the run has returned: the exit code is set here too.
    writeFailed = true;
    process.exitCode = EXIT_CANNOT_AUDIT;
    process.stderr.write(`dockaudit: cannot write the report: ${escapeControl(describeError(error))}\n`);
  });
  endQuietlyOnClosedPipe(process.stderr, () => undefined);
  exitOnSignals();
  const code = await run(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
  process.exitCode = writeFailed ? EXIT_CANNOT_AUDIT : code;
}
