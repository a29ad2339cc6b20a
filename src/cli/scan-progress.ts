/**
 * A progress bar for image scans: one updating line on a terminal, nothing on a pipe
 * (so a report written to stdout or a CI log never carries control characters).
 */
import { escapeControl } from '../escape.js';

export interface ScanProgressBar {
  update: (label: string, bytesRead: number, totalBytes: number) => void;
  done: () => void;
}

const WIDTH = 24;
/** Redraw at most this often. */
const INTERVAL_MS = 100;

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 10e6 ? 1 : 0)} MB`;
}

/** The line the bar shows; exported for tests. */
export function progressLine(label: string, bytesRead: number, totalBytes: number, columns: number): string {
  // An image name comes from the daemon or an archive: escaped, so it cannot move the cursor.
  const escaped = escapeControl(label);
  const shownLabel = escaped.length > 40 ? `…${escaped.slice(-39)}` : escaped;
  let line: string;
  if (totalBytes > 0) {
    const ratio = Math.min(1, bytesRead / totalBytes);
    const filled = Math.round(ratio * WIDTH);
    line = `scanning ${shownLabel} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${Math.floor(ratio * 100)}% ${megabytes(bytesRead)}/${megabytes(totalBytes)}`;
  } else {
    line = `scanning ${shownLabel} ${megabytes(bytesRead)}`;
  }
  return line.length > columns - 1 ? line.slice(0, Math.max(0, columns - 1)) : line;
}

export function createScanProgressBar(stream: NodeJS.WriteStream): ScanProgressBar {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let shown = false;
  let last = 0;
  return {
    update(label, bytesRead, totalBytes) {
      const now = Date.now();
      if (now - last < INTERVAL_MS) return;
      last = now;
      shown = true;
      stream.write(`\r\u001b[2K${progressLine(label, bytesRead, totalBytes, stream.columns || 80)}`);
    },
    done() {
      if (shown) stream.write('\r\u001b[2K');
      shown = false;
    },
  };
}
