/**
 * Reads a file given by the user or found in a tree (a config file, a baseline, a Dockerfile),
 * which may be anything: a regular file only, its type checked on the open descriptor (opened
 * non-blocking, so a FIFO cannot stall the open, and without a controlling terminal), and at
 * most `maxBytes` of it, the read stopping one byte past the cap whatever the size said, so a
 * device, a file under /proc (whose size says 0) or a file still growing cannot hang it or
 * exhaust memory. Synchronous on purpose: a tree of thousands of small files is read several
 * times faster without a round trip through the thread pool per call.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** The most one read asks for. */
const READ_CHUNK_BYTES = 256 * 1024;

/** What was read, or why nothing was: not a regular file (and what it is), or larger than the cap. */
export type BoundedRead = { status: 'read'; bytes: Buffer } | { status: 'not-regular'; type: string } | { status: 'too-large'; size: number };

/** What a path that is not a regular file is, for the one-line reason it was refused. */
export function fileType(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * The bytes of the regular file at `path`, at most `maxBytes` of them; `too-large` carries the
 * size found (the file's, or how far the read got past the cap). Throws what open and read throw
 * (a missing file, a permission refused): the caller says which file it wanted and why.
 */
export function readBoundedFile(path: string, maxBytes: number): BoundedRead {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    const info = fstatSync(fd);
    if (!info.isFile()) return { status: 'not-regular', type: fileType(info) };
    if (info.size > maxBytes) return { status: 'too-large', size: info.size };
    // The size is a hint: read until the end or one byte past the cap.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      // One byte more than the size said, so the end shows in one read; then whole chunks.
      const wanted = length < info.size ? info.size - length + 1 : READ_CHUNK_BYTES;
      const chunk = Buffer.allocUnsafe(Math.min(wanted, READ_CHUNK_BYTES, maxBytes + 1 - length));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
      length += read;
      if (length > maxBytes) return { status: 'too-large', size: length };
    }
    return { status: 'read', bytes: Buffer.concat(chunks, length) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
