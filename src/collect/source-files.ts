/**
 * Finds and reads the Dockerfiles and Compose files under the paths given on the command line.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { UsageError, describeError } from '../errors.js';
import { FILE_SIZE_LIMITS, type SourceFile, type SourceFiles } from '../snapshot/files.js';
import { readBoundedFile, type BoundedRead } from './bounded-file.js';

/** Directory depth and file-count bounds for the search. */
const MAX_DEPTH = 20;
const MAX_FILES = 20_000;

const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules', '.hg', '.svn', 'vendor', '.venv', '__pycache__']);

/** What kind of file a name is, or undefined when it is neither a Dockerfile nor a Compose file. */
export function classifyFileName(name: string): SourceFile['kind'] | undefined {
  const lower = name.toLowerCase();
  if (lower === 'dockerfile' || lower === 'containerfile' || lower.endsWith('.dockerfile') || lower.endsWith('.containerfile')) return 'dockerfile';
  if (lower.startsWith('dockerfile.') || lower.startsWith('containerfile.')) return 'dockerfile';
  if (/^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/.test(lower)) return 'compose';
  return undefined;
}

/**
 * Reads one file, at most `maxBytes` of it, and only a regular file (see bounded-file.ts); a
 * binary file is refused too.
 */
function readSource(path: string, kind: SourceFile['kind'], displayPath: string, maxBytes: number): SourceFile {
  let read: BoundedRead;
  try {
    read = readBoundedFile(path, maxBytes);
  } catch (error) {
    return { path: displayPath, kind, skipped: `unreadable: ${describeError(error)}` };
  }
  if (read.status === 'not-regular') return { path: displayPath, kind, skipped: `refused: ${read.type}, not a regular file` };
  if (read.status === 'too-large') return { path: displayPath, kind, skipped: `refused: ${read.size} bytes or more, larger than the ${maxBytes}-byte cap (--max-file-bytes)` };
  if (read.bytes.includes(0)) return { path: displayPath, kind, skipped: 'refused: binary file (contains NUL bytes)' };
  return { path: displayPath, kind, content: read.bytes.toString('utf8') };
}

/** Adds the directory's .gitignore to `rules`; false when there is none. */
function loadGitignore(directory: string, rules: Ignore): boolean {
  try {
    rules.add(readFileSync(join(directory, '.gitignore'), 'utf8').split('\n'));
    return true;
  } catch {
    return false;
  }
}

interface Walk {
  /** Undefined when the searched directory has no .gitignore. */
  rules: Ignore | undefined;
  found: { path: string; kind: SourceFile['kind'] }[];
  /** Directories seen to hold a `.env` file, so Compose files need no extra lookup. */
  envDirectories: Set<string>;
}

function walk(directory: string, relativeDirectory: string, depth: number, state: Walk): void {
  if (depth > MAX_DEPTH || state.found.length >= MAX_FILES) return;
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    return;
  }
  // Code-unit order: the same on every machine whatever its locale.
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = join(directory, entry.name);
    // Relative to the searched directory, with `/` separators, as .gitignore patterns expect.
    const relativePath = relativeDirectory === '' ? entry.name : `${relativeDirectory}/${entry.name}`;
    if (entry.isDirectory()) {
      if (SKIPPED_DIRECTORIES.has(entry.name) || state.rules?.ignores(`${relativePath}/`)) continue;
      walk(full, relativePath, depth + 1, state);
    } else if (entry.name === '.env') {
      if (entry.isFile() || (entry.isSymbolicLink() && existsSync(full))) state.envDirectories.add(directory);
    } else if (entry.isFile()) {
      const kind = classifyFileName(entry.name);
      if (kind && !state.rules?.ignores(relativePath)) state.found.push({ path: full, kind });
    }
  }
}

function display(path: string, cwd: string): string {
  const relativePath = relative(cwd, path);
  return relativePath.startsWith('..') ? path : relativePath.split(sep).join('/');
}

export interface CollectFilesOptions {
  /** Files larger than this are refused (an `error` finding); default FILE_SIZE_LIMITS.defaultBytes. */
  maxFileBytes?: number;
}

/**
 * Collects the files under `paths`: a file is taken as given (a Compose file by name, anything
 * else as a Dockerfile); a directory is searched, honouring its top-level .gitignore.
 */
export async function collectFiles(paths: string[], cwd: string, composeFiles: string[] = [], options: CollectFilesOptions = {}): Promise<SourceFiles> {
  const maxBytes = options.maxFileBytes ?? FILE_SIZE_LIMITS.defaultBytes;
  const files: SourceFile[] = [];
  for (const given of composeFiles) {
    const absolute = resolve(cwd, given);
    try {
      await stat(absolute);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`no such Compose file: ${given}`);
    }
    files.push(readSource(absolute, 'compose', display(absolute, cwd), maxBytes));
  }
  const explicit = new Set(files.map((file) => file.path));
  // Directories the search listed, and those of them that hold a .env file.
  const walkedDirectories = new Set<string>();
  const walkedEnvDirectories = new Set<string>();
  for (const given of paths) {
    const absolute = resolve(cwd, given);
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`no such file or directory: ${given}`);
      files.push({ path: given, kind: 'dockerfile', skipped: `cannot read: ${describeError(error)}` });
      continue;
    }
    if (info.isDirectory()) {
      const rules = ignore();
      const state: Walk = { rules: loadGitignore(absolute, rules) ? rules : undefined, found: [], envDirectories: walkedEnvDirectories };
      walk(absolute, '', 0, state);
      for (const item of state.found) {
        const shown = display(item.path, cwd);
        if (!explicit.has(shown)) files.push(readSource(item.path, item.kind, shown, maxBytes));
      }
      for (const item of state.found) walkedDirectories.add(dirname(item.path));
    } else {
      const kind = classifyFileName(basename(absolute)) ?? (/\.ya?ml$/i.test(absolute) ? 'compose' : 'dockerfile');
      if (!explicit.has(display(absolute, cwd))) files.push(readSource(absolute, kind, display(absolute, cwd), maxBytes));
    }
  }
  const envFiles = new Set<string>();
  for (const file of files) {
    if (file.kind !== 'compose') continue;
    const directory = resolve(cwd, file.path, '..');
    const envPath = join(directory, '.env');
    if (envFiles.has(envPath)) continue;
    envFiles.add(envPath);
    const present = walkedDirectories.has(directory) ? walkedEnvDirectories.has(directory) : existsSync(envPath);
    if (present) files.push(readSource(envPath, 'env', display(envPath, cwd), maxBytes));
  }
  return { files, ...(composeFiles.length > 0 ? { composeProjects: [composeFiles.map((given) => display(resolve(cwd, given), cwd))] } : {}) };
}
