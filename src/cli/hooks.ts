/**
 * The library's hooks as a person at a terminal sees them: progress lines on stderr when it is a
 * terminal, `DOCKAUDIT_TIMING=1` phase times, and notices as `dockaudit: …` lines.
 */
import type { Hooks, Phase } from '../audit/types.js';
import { escapeControl } from '../escape.js';
import type { Io } from './output.js';
import { createProgress } from './progress.js';

/** The hooks for one command, and `done` to clear the progress line before the report is written. */
export interface TerminalHooks {
  hooks: Hooks;
  done(): void;
}

/** With DOCKAUDIT_TIMING=1, one line on stderr: how long a phase, or the worker thread's evaluation, took. */
export function timingNote(io: Io, what: string, milliseconds: number): void {
  if (io.env['DOCKAUDIT_TIMING']) io.stderr.write(`dockaudit timing: ${what} ${milliseconds.toFixed(0)} ms\n`);
}

/**
 * With DOCKAUDIT_TIMING=1, each call prints how long the phase that just ended took (the first
 * one counts from process start), so slow runs can be explained.
 */
export function phaseTimer(io: Io): (phase: Phase | 'report', milliseconds?: number) => void {
  if (!io.env['DOCKAUDIT_TIMING']) return () => undefined;
  let last = performance.now();
  timingNote(io, 'start-up', last);
  return (phase, milliseconds) => {
    if (milliseconds !== undefined) {
      timingNote(io, phase, milliseconds);
      return;
    }
    const now = performance.now();
    timingNote(io, phase, now - last);
    last = now;
  };
}

/** Hooks that draw progress on stderr, time phases and print notices. */
export async function terminalHooks(io: Io, timer: ReturnType<typeof phaseTimer>, options: { scans?: boolean } = {}): Promise<TerminalHooks> {
  const collecting = createProgress(io.stderr);
  // The scan progress bar belongs to the layer scanner's chunk: loaded only when images are scanned.
  const scanning = options.scans ? (await import('./scan-progress.js')).createScanProgressBar(io.stderr) : undefined;
  let collectShown = true;
  const hooks: Hooks = {
    onProgress(event) {
      if (event.kind === 'collect') collecting.update(event.stage, event.done, event.total);
      else {
        if (collectShown) {
          collecting.done();
          collectShown = false;
        }
        scanning?.update(event.image, event.bytesRead, event.totalBytes);
      }
    },
    onPhase(phase, milliseconds) {
      if (phase === 'collect') {
        collecting.done();
        scanning?.done();
      }
      timer(phase, milliseconds);
    },
    onNotice(message) {
      io.stderr.write(`dockaudit: ${escapeControl(message)}\n`);
    },
  };
  return {
    hooks,
    done() {
      collecting.done();
      scanning?.done();
    },
  };
}
