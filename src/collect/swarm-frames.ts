/**
 * How a Swarm node's report travels back to the manager through its task's logs, with no port
 * opened: the JSON report, gzipped and base64-encoded, cut into numbered lines that each fit in
 * one log message (log drivers split lines longer than 16 KiB), with a digest of the whole so the
 * manager takes nothing partial or altered for a report.
 *
 *   dockaudit-frame <run> <sequence> <count> <sha256 of the gzipped report> <base64 piece>
 *
 * Lines may come back interleaved with other output, repeated, or in any order: the reader keeps
 * the pieces of its run by sequence number and checks the digest once every piece is there.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

const MARKER = 'dockaudit-frame';

/** Base64 characters per line: with its header a line stays well under the 16 KiB log message. */
export const FRAME_PIECE_CHARS = 12_000;

/** A run id: letters and digits only, so it cannot break the line format. */
const RUN_ID = /^[A-Za-z0-9]{1,64}$/;

/** The lines that carry `report` (its JSON text) for run `run`. */
export function frameReport(report: string, run: string): string[] {
  if (!RUN_ID.test(run)) throw new Error(`a frame run id is letters and digits, not ${JSON.stringify(run)}`);
  const packed = gzipSync(Buffer.from(report, 'utf8'));
  const digest = createHash('sha256').update(packed).digest('hex');
  const encoded = packed.toString('base64');
  const count = Math.max(1, Math.ceil(encoded.length / FRAME_PIECE_CHARS));
  const lines: string[] = [];
  for (let sequence = 0; sequence < count; sequence += 1) {
    lines.push(`${MARKER} ${run} ${sequence} ${count} ${digest} ${encoded.slice(sequence * FRAME_PIECE_CHARS, (sequence + 1) * FRAME_PIECE_CHARS)}`);
  }
  return lines;
}

/** What the frames of a run in some output gave: the report's JSON text, or why there is none. */
export type Unframed = { report: string } | { reason: string };

/**
 * Reads the report of run `run` out of `output` (a task's log text). `maxBytes` caps the report
 * once unpacked, and the pieces kept on the way.
 */
export function unframeReport(output: string, run: string, maxBytes: number): Unframed {
  const pieces = new Map<number, string>();
  let count: number | undefined;
  let digest: string | undefined;
  let kept = 0;
  // The most lines a report within the cap is cut into (gzip may add a little to what it cannot shrink).
  const maxCount = Math.ceil(((maxBytes + 1024) * 4) / 3 / FRAME_PIECE_CHARS) + 1;
  const prefix = `${MARKER} ${run} `;
  // Line by line without splitting: a task's output may be millions of lines, and only those of
  // this run's report become strings of their own.
  for (let start = 0; start < output.length; ) {
    const newline = output.indexOf('\n', start);
    const end = newline === -1 ? output.length : newline;
    const lineStart = start;
    start = end + 1;
    if (!output.startsWith(prefix, lineStart)) continue;
    const line = output.slice(lineStart, end > lineStart && output.charCodeAt(end - 1) === 13 ? end - 1 : end);
    const parts = line.split(' ');
    if (parts.length !== 6) return { reason: 'a report line is malformed' };
    const sequence = Number(parts[2]);
    const total = Number(parts[3]);
    const piece = parts[5] as string;
    if (!Number.isInteger(sequence) || !Number.isInteger(total) || total < 1 || sequence < 0 || sequence >= total) return { reason: 'a report line is malformed' };
    if (total > maxCount) return { reason: `the report is larger than ${maxBytes} bytes` };
    // Every piece but the last is as long as the writer cuts them; the last is not empty.
    if (sequence < total - 1 ? piece.length !== FRAME_PIECE_CHARS : piece.length < 1 || piece.length > FRAME_PIECE_CHARS) return { reason: 'a report line is malformed' };
    if ((count !== undefined && count !== total) || (digest !== undefined && digest !== parts[4])) return { reason: 'the report lines do not belong together' };
    count = total;
    digest = parts[4];
    if (pieces.has(sequence)) continue;
    kept += piece.length;
    if (kept > maxBytes * 2) return { reason: `the report is larger than ${maxBytes} bytes` };
    pieces.set(sequence, piece);
  }
  if (count === undefined) return { reason: 'no report in its output' };
  if (pieces.size !== count) return { reason: `the report is incomplete: ${pieces.size} of its ${count} lines came back` };
  const packed = Buffer.from(Array.from({ length: count }, (_, sequence) => pieces.get(sequence) as string).join(''), 'base64');
  if (createHash('sha256').update(packed).digest('hex') !== digest) return { reason: 'the report does not match its digest' };
  try {
    return { report: gunzipSync(packed, { maxOutputLength: maxBytes }).toString('utf8') };
  } catch (error) {
    return { reason: `the report cannot be unpacked (${error instanceof Error ? error.message : String(error)})` };
  }
}

/**
 * The last line of `text` that is not blank, at most `max` characters, found from the end: a
 * task's output may be millions of lines, and only this one becomes a string of its own.
 */
export function lastLine(text: string, max: number): string {
  let end = text.length;
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, Math.min(end, start + max + 1)).trim();
    if (line !== '') return line.slice(0, max);
    end = start - 1;
  }
  return '';
}
