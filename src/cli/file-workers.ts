/**
 * Checking many Dockerfiles and Compose files on every core: the files are split into groups
 * that can be judged apart (a Compose file with the Dockerfiles and `.env` beneath its
 * directory), each worker thread evaluates one group, and the evaluations are merged into one
 * report. The rules and the engine are the same as in one thread; only where they run differs.
 */
import { posix } from 'node:path';
import { Worker } from 'node:worker_threads';
import { InternalError, describeError } from '../errors.js';
import type { Config } from '../engine/config.js';
import type { Evaluation } from '../engine/run.js';
import type { RuleFamily } from '../rules/types.js';
import type { SourceFile, SourceFiles } from '../snapshot/files.js';

/** Below this many files a thread costs more to start than it saves. */
export const MIN_FILES_PER_WORKER = 100;

/** What a worker is given: its files and how to judge them. */
export interface FileWorkerTask {
  kind: 'dockaudit-file-worker';
  files: SourceFiles;
  families: RuleFamily[];
  /** Only rules decidable from files (lint), or all of the families (audit). */
  filesOnly: boolean;
  config: Config;
  knownRuleNames: string[];
}

export type FileWorkerReply = { evaluation: Evaluation } | { error: string };

export function isFileWorkerTask(value: unknown): value is FileWorkerTask {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'dockaudit-file-worker';
}

/** The directory a file belongs to for grouping: the nearest one holding a Compose file. */
function groupKey(file: SourceFile, composeDirectories: ReadonlySet<string>): string {
  let directory = posix.dirname(file.path);
  for (;;) {
    if (composeDirectories.has(directory)) return `dir:${directory}`;
    const parent = posix.dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  // Outside every Compose project: a file on its own.
  return `file:${file.path}`;
}

/**
 * Splits the files into at most `parts` groups of about equal size, never separating a Compose
 * file from the Dockerfiles and `.env` files under its directory (its build contexts and
 * variables). Files merged with `-f` stay in one group with everything else.
 */
export function partitionFiles(sources: SourceFiles, parts: number): SourceFiles[] {
  if (parts <= 1 || sources.composeProjects !== undefined || sources.files.length < 2) return [sources];
  const composeDirectories = new Set(sources.files.filter((file) => file.kind === 'compose').map((file) => posix.dirname(file.path)));
  const groups = new Map<string, SourceFile[]>();
  for (const file of sources.files) {
    const key = groupKey(file, composeDirectories);
    const group = groups.get(key);
    if (group) group.push(file);
    else groups.set(key, [file]);
  }
  const sizeOf = (files: SourceFile[]): number => files.reduce((total, file) => total + (file.content?.length ?? 0) + 1, 0);
  const bins = Array.from({ length: Math.min(parts, groups.size) }, () => ({ size: 0, files: [] as SourceFile[] }));
  // Largest groups first, each into the lightest bin: close to even, and the same every run.
  const ordered = [...groups.values()].map((files) => ({ files, size: sizeOf(files) })).sort((a, b) => b.size - a.size);
  for (const group of ordered) {
    const lightest = bins.reduce((best, bin) => (bin.size < best.size ? bin : best));
    lightest.files.push(...group.files);
    lightest.size += group.size;
  }
  return bins.filter((bin) => bin.files.length > 0).map((bin) => ({ files: bin.files }));
}

/** How many threads to use for `fileCount` files, given `jobs` (0: one per CPU). */
export function workerCount(fileCount: number, jobs: number, cpus: number): number {
  const wanted = jobs > 0 ? jobs : cpus;
  return Math.max(1, Math.min(wanted, Math.floor(fileCount / MIN_FILES_PER_WORKER)));
}

/** Runs one task in a worker thread started from `entry` (the CLI's own module). */
export function runFileWorker(entry: URL, task: FileWorkerTask): Promise<Evaluation> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry, { workerData: task });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    worker.once('message', (reply: FileWorkerReply) =>
      settle(() => ('error' in reply ? reject(new InternalError(`a file worker failed: ${reply.error}`)) : resolve(reply.evaluation))),
    );
    worker.once('error', (error) => settle(() => reject(new InternalError(`a file worker failed: ${describeError(error)}`))));
    worker.once('exit', (code) => settle(() => reject(new InternalError(`a file worker exited (code ${code}) without a result`))));
  });
}

/** Concatenates evaluations of disjoint file groups; every group ran the same rules. */
export function mergeEvaluations(evaluations: Evaluation[]): Evaluation {
  return {
    findings: evaluations.flatMap((evaluation) => evaluation.findings),
    rulesRun: Math.max(0, ...evaluations.map((evaluation) => evaluation.rulesRun)),
  };
}
