/**
 * Files dockaudit keeps for itself across runs (under ~/.cache/dockaudit): readable by their
 * owner alone, in directories only the owner can list, and never reached through a symbolic
 * link someone else planted in their place.
 */
import { constants } from 'node:fs';
import { chmod, mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

const PRIVATE_DIRECTORY = 0o700;
const PRIVATE_FILE = 0o600;

/**
 * Creates `directory` (and its missing parents) as 0700, and sets 0700 on it and on `alsoPrivate`
 * (ancestors dockaudit owns, like ~/.cache/dockaudit) when they already existed with other modes.
 */
export async function ensurePrivateDirectory(directory: string, alsoPrivate: string[] = []): Promise<void> {
  await mkdir(directory, { recursive: true, mode: PRIVATE_DIRECTORY });
  for (const path of [...alsoPrivate, directory]) await chmod(path, PRIVATE_DIRECTORY);
}

/**
 * Writes `text` (whole, or in pieces for a large report) to `path` as a new file with exactly
 * `mode` (0600 by default): into a new temporary file beside it (O_EXCL and O_NOFOLLOW, so
 * neither an existing file nor a symbolic link is written through), then renamed over `path`,
 * which replaces a link rather than following it. Nothing is left behind when it fails.
 */
export async function writePrivateFile(path: string, text: string | Iterable<string>, mode = PRIVATE_FILE): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
    // The umask may have taken bits away, never added any: a fresh file still gets exactly `mode`.
    await handle.chmod(mode);
    for (const piece of typeof text === 'string' ? [text] : text) await handle.write(piece);
    await handle.close();
    handle = undefined;
    await rename(temporary, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** Reads a file kept by dockaudit; a symbolic link in its place, or anything but a regular file, is refused. */
export async function readPrivateFile(path: string): Promise<string> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Error(`${path} is not a regular file`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
