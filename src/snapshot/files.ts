/**
 * Dockerfiles and Compose files handed to dockaudit, kept as text so rules stay pure
 * and a snapshot can be re-audited elsewhere.
 */

/**
 * Byte caps on one Dockerfile or Compose file. `defaultBytes` is what `--max-file-bytes` starts
 * from: the largest real Compose files (generated, hundreds of services) are a few hundred KB and
 * Dockerfiles far less, so 4 MiB leaves room and still bounds the time and memory a file costs.
 * `ceilingBytes` is the most the flag accepts, and what the parsers themselves refuse beyond, for
 * files that come from a snapshot rather than the disk.
 */
export const FILE_SIZE_LIMITS = {
  defaultBytes: 4 * 1024 * 1024,
  ceilingBytes: 64 * 1024 * 1024,
} as const;

export interface SourceFile {
  /** Path as given or found, relative to the working directory when possible. */
  path: string;
  kind: 'dockerfile' | 'compose' | 'env';
  /** File text; undefined when it could not be read. */
  content?: string;
  /**
   * Why the file could not be read or was refused (binary, too large, not a regular file,
   * unreadable). A refused file is an `error` finding, and the run exits 2.
   */
  skipped?: string;
}

export interface SourceFiles {
  files: SourceFile[];
  /** Compose files named together (`-f a.yml -f b.yml`), merged in this order into one project. */
  composeProjects?: string[][];
}
