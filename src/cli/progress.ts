/**
 * Progress on long collections: one updating line on a terminal, nothing on a pipe.
 */
import { escapeControl } from '../escape.js';
export interface ProgressReporter {
  update: (stage: string, done: number, total: number) => void;
  done: () => void;
}

/** Totals below this finish too fast for a progress line to help. */
const MIN_TOTAL = 20;

export function createProgress(stream: NodeJS.WriteStream): ProgressReporter {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let shown = false;
  let last = 0;
  return {
    update(stage, done, total) {
      if (total < MIN_TOTAL) return;
      const now = Date.now();
      if (done !== total && now - last < 80) return;
      last = now;
      shown = true;
      stream.write(`\r\u001b[2Kcollecting ${escapeControl(stage)}: ${done}/${total}`);
    },
    done() {
      if (shown) stream.write('\r\u001b[2K');
    },
  };
}
