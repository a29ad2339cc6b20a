/**
 * Bounded, synchronous reads of small files under /proc. Files under /proc/<pid>/ are made by the
 * kernel and answer at once, so a read is a few system calls on the main thread rather than a
 * thread-pool round per file; the passes that use this yield between batches. Opened
 * non-blocking, so a FIFO where /proc is expected (under a host root) cannot stall a pass.
 */
import { closeSync, constants, openSync, readSync } from 'node:fs';

/** What was read: the text (at most `buffer.length - 1` bytes), and whether the file had more. */
export type ProcRead = { text: string; truncated: boolean } | undefined;

/**
 * Reads at most `buffer.length - 1` bytes of a file (give a buffer one byte larger than the cap,
 * so that a longer file is seen as `truncated`); undefined when it is gone or unreadable.
 */
export function readProcFile(path: string, buffer: Buffer): ProcRead {
  let descriptor: number;
  try {
    descriptor = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    // Sizes under /proc read as 0: read to the end or one byte past the cap.
    let filled = 0;
    while (filled < buffer.length) {
      const bytesRead = readSync(descriptor, buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    const truncated = filled === buffer.length;
    return { text: buffer.toString('utf8', 0, truncated ? filled - 1 : filled), truncated };
  } catch {
    // The process ended between open and read (ESRCH), or the file is not ours to read.
    return undefined;
  } finally {
    closeSync(descriptor);
  }
}
