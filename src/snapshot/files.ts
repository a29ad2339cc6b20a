/**
 * Dockerfiles and Compose files handed to dockaudit, kept as text so rules stay pure
 * and a snapshot can be re-audited elsewhere.
 */

export interface SourceFile {
  /** Path as given or found, relative to the working directory when possible. */
  path: string;
  kind: 'dockerfile' | 'compose' | 'env';
  /** File text; undefined when it could not be read. */
  content?: string;
  /** Why the file could not be read or was refused (binary, too large, unreadable). */
  skipped?: string;
}

export interface SourceFiles {
  files: SourceFile[];
  /** Compose files named together (`-f a.yml -f b.yml`), merged in this order into one project. */
  composeProjects?: string[][];
}
