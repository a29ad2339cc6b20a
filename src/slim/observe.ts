/**
 * Observing a container: the host's strace, with the shared libraries and the dynamic loader it
 * needs, is copied to a temporary directory that is bind-mounted read-only into the container,
 * and the container's own command runs under it. The trace lands in a second, writable bind
 * mount. Images need no libc of their own: the host's loader is invoked directly.
 *
 * Both directories sit in one directory of mode 0700, so nobody else on the host can reach
 * them. Inside the container each mount is the directory itself and the parent does not count:
 * the tracer directory is 0755 (the image's user, whoever it is, runs strace from it) and the
 * trace directory 0733 (that user creates the trace file in it; nobody but its owner lists it).
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { EngineClient } from '../collect/docker-api.js';
import { CollectionError } from '../errors.js';
import { created } from './cleanup.js';
import { runContainer, type HttpProbe, type RunResult } from './run.js';

const run = promisify(execFile);

/** Where the tracer and its output are mounted inside the observed container. */
export const TRACER_MOUNT = '/.dockaudit';
export const OUTPUT_MOUNT = '/.dockaudit-out';
const TRACE_FILE = 'trace';

export interface StagedTracer {
  /** Host directory holding strace, its libraries and the loader. */
  directory: string;
  /** The command prefix that runs strace inside the container (loader, library path, strace). */
  prefix: string[];
}

/** Finds an executable on PATH. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const directory of (env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter)) {
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** Libraries and loader `ldd` lists for a binary: `[library paths, loader path or undefined]`. */
export function parseLdd(output: string): { libraries: string[]; loader?: string } {
  const libraries: string[] = [];
  let loader: string | undefined;
  for (const line of output.split('\n')) {
    const resolved = /=>\s+(\/\S+)\s+\(0x/.exec(line)?.[1];
    if (resolved) {
      libraries.push(resolved);
      continue;
    }
    const direct = /^\s*(\/\S+)\s+\(0x/.exec(line)?.[1];
    if (direct) loader = direct;
  }
  return { libraries, ...(loader ? { loader } : {}) };
}

/** Copies strace and what it needs to run into `directory` (new), which the container can read. */
export async function stageTracer(env: NodeJS.ProcessEnv, directory: string): Promise<StagedTracer> {
  const strace = findOnPath('strace', env);
  if (!strace) throw new CollectionError('strace is not installed on this machine (Debian package strace); slim needs it to observe the container');
  await mkdir(directory);
  await chmod(directory, 0o755);
  await copyFile(strace, join(directory, 'strace'));
  await chmod(join(directory, 'strace'), 0o755);
  let ldd = '';
  try {
    ldd = (await run('ldd', [strace])).stdout;
  } catch (error) {
    // A static strace: ldd says "not a dynamic executable" and exits 1.
    const output = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`;
    if (!/not a dynamic executable|statically linked/.test(output)) {
      throw new CollectionError(`cannot list the libraries strace needs (ldd ${strace}): ${output.trim() || (error as Error).message}`);
    }
  }
  const { libraries, loader } = parseLdd(ldd);
  for (const path of [...libraries, ...(loader ? [loader] : [])]) {
    await copyFile(path, join(directory, basename(path)));
    await chmod(join(directory, basename(path)), 0o755);
  }
  const prefix = loader
    ? [`${TRACER_MOUNT}/${basename(loader)}`, '--library-path', TRACER_MOUNT, `${TRACER_MOUNT}/strace`]
    : [`${TRACER_MOUNT}/strace`];
  return { directory, prefix };
}

export interface ObserveOptions {
  image: string;
  argv: string[];
  timeoutSeconds: number;
  probe?: HttpProbe;
  env: NodeJS.ProcessEnv;
}

export interface ObservedRun {
  run: RunResult;
  /** strace's output, as written. */
  trace: string;
}

/**
 * Runs the image's command under strace and returns the trace with the run's result.
 * strace follows forks (-f), names the file behind every descriptor (-y), and starts tracing at
 * its child's execve, so its own start-up is not in the trace.
 */
export async function observe(client: EngineClient, options: ObserveOptions): Promise<ObservedRun> {
  // mkdtemp creates it 0700.
  const workspace = await mkdtemp(join(tmpdir(), 'dockaudit-slim-'));
  const workspaceCreated = created(() => rm(workspace, { recursive: true, force: true }));
  try {
    const tracer = await stageTracer(options.env, join(workspace, 'tracer'));
    const output = join(workspace, 'trace');
    await mkdir(output);
    // The image may run as any user: it must be able to create the trace file here.
    await chmod(output, 0o733);
    const result = await runContainer(client, {
      image: options.image,
      argv: [...tracer.prefix, '-f', '-y', '-s', '64', '-o', `${OUTPUT_MOUNT}/${TRACE_FILE}`, '--', ...options.argv],
      binds: [`${tracer.directory}:${TRACER_MOUNT}:ro`, `${output}:${OUTPUT_MOUNT}`],
      capAdd: ['SYS_PTRACE'],
      timeoutSeconds: options.timeoutSeconds,
      labels: { 'dockaudit.slim': 'observe' },
      ...(options.probe ? { probe: options.probe } : {}),
    });
    let trace = '';
    try {
      trace = await readFile(join(output, TRACE_FILE), 'utf8');
    } catch {
      // No trace: strace could not start; the run's stderr says why.
    }
    return { run: result, trace };
  } finally {
    await workspaceCreated.remove();
  }
}
