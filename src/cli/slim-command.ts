/**
 * `dockaudit slim IMAGE`: arguments and file names only; the work is in src/slim. The command
 * ends with whether the proof passed, which main.ts turns into the exit code.
 */
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { escapeControlKeepingLines } from '../escape.js';
import { validProfileName } from '../slim/apparmor.js';
import type { HttpProbe } from '../slim/run.js';
import { onInterrupt, wasInterrupted } from './interrupt.js';
import type { Io } from './output.js';

/** How long removing what slim created may take after a signal. */
const CLEANUP_BUDGET_MS = 20_000;

interface SlimFlags {
  tag?: string;
  seccomp?: string;
  apparmor?: string;
  name?: string;
  timeout: string;
  httpProbe?: string;
  include: string[];
  denySyscall: string[];
  format: 'text' | 'json';
  host?: string;
}

/** `8080` or `8080/healthz` → port and path. */
export function parseProbe(value: string): HttpProbe {
  const match = /^(\d{1,5})(\/.*)?$/.exec(value);
  const port = Number(match?.[1]);
  if (!match || port < 1 || port > 65535) throw new UsageError(`--http-probe must be PORT or PORT/PATH, got ${value}`);
  return { port, path: match[2] ?? '/' };
}

function parseTimeout(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) throw new UsageError(`--timeout must be between 1 and 3600 seconds, got ${value}`);
  return seconds;
}

/** A profile name from an image reference: `da-test/app:1` → `dockaudit-slim-da-test-app-1`. */
export function defaultProfileName(image: string): string {
  return `dockaudit-slim-${image.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '')}`;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Runs slim, writes its summary and says whether the proof passed. */
async function slimCommand(image: string, command: string[], flags: SlimFlags, io: Io): Promise<boolean> {
  const name = flags.name ?? defaultProfileName(image);
  if (!validProfileName(name)) throw new UsageError(`--name must be letters, digits, '.', '_' or '-', got ${name}`);
  // The tracer, minifier and prover load only when slim runs.
  const [{ slim }, { formatSlimJson, formatSlimText }, { removeAllCreated }] = await Promise.all([
    import('../slim/index.js'),
    import('../slim/summary.js'),
    import('../slim/cleanup.js'),
  ]);
  // On SIGINT or SIGTERM the containers slim started (one can trace processes) and its
  // temporary directory are removed before the process exits (main.ts); the work in flight then
  // fails, and that failure is not reported.
  const forget = onInterrupt(() => removeAllCreated(CLEANUP_BUDGET_MS));
  try {
    return await runSlimCommand(slim, { formatSlimJson, formatSlimText }, image, command, flags, name, io);
  } catch (error) {
    if (wasInterrupted()) return new Promise<never>(() => undefined);
    throw error;
  } finally {
    forget();
  }
}

async function runSlimCommand(
  slim: typeof import('../slim/index.js').slim,
  format: Pick<typeof import('../slim/summary.js'), 'formatSlimJson' | 'formatSlimText'>,
  image: string,
  command: string[],
  flags: SlimFlags,
  name: string,
  io: Io,
): Promise<boolean> {
  const { formatSlimJson, formatSlimText } = format;
  const summary = await slim({
    image,
    ...(flags.tag ? { tag: flags.tag } : {}),
    seccompFile: flags.seccomp ?? `${name}.seccomp.json`,
    apparmorFile: flags.apparmor ?? `${name}.apparmor`,
    profileName: name,
    timeoutSeconds: parseTimeout(flags.timeout),
    ...(flags.httpProbe ? { probe: parseProbe(flags.httpProbe) } : {}),
    include: flags.include,
    command,
    denySyscalls: flags.denySyscall,
    ...(flags.host ? { host: flags.host } : {}),
    env: io.env,
    arch: process.arch,
  });
  io.stdout.write(flags.format === 'json' ? formatSlimJson(summary) : escapeControlKeepingLines(formatSlimText(summary)));
  return summary.proof.passed;
}

/** Registers `dockaudit slim`. */
export function registerSlimCommand(program: Command, io: Io, finish: (passed: boolean) => void): void {
  program
    .command('slim')
    .description('observe an image under strace, write seccomp and AppArmor profiles from what it used, optionally build a minified image, and prove it still works under the seccomp profile')
    .argument('<image>', 'image to observe (name:tag or id)')
    .argument('[command...]', 'command to run instead of the image Cmd (after --)')
    .option('--tag <name:tag>', 'build a minified image with this name, holding only the files the run used')
    .option('--seccomp <file>', 'where to write the seccomp profile (default NAME.seccomp.json)')
    .option('--apparmor <file>', 'where to write the AppArmor profile (default NAME.apparmor)')
    .option('--name <profile>', 'AppArmor profile name (default dockaudit-slim-IMAGE)')
    .option('--timeout <seconds>', 'stop the container after this long', '30')
    .option('--http-probe <port[/path]>', 'publish PORT on 127.0.0.1, wait until GET PATH answers, then stop')
    .option('--include <path>', 'keep this path (a directory with all under it) in the minified image; repeatable', collect, [] as string[])
    .option('--deny-syscall <name>', 'leave this syscall out of the seccomp profile even if observed; repeatable', collect, [] as string[])
    .addOption(new Option('--format <format>', 'summary format').choices(['text', 'json']).default('text'))
    .addOption(new Option('-H, --host <address>', 'Docker daemon address (a unix socket on this machine); default DOCKER_HOST'))
    .action(async (image: string, command: string[], flags: SlimFlags) => finish(await slimCommand(image, command, flags, io)));
}
