/**
 * The integration scenario: one real container per misconfiguration, plus one hardened
 * container that must pass every container rule that can pass on this host.
 *
 * global-setup.ts creates these on the local daemon; the tests spawn the real CLI and
 * assert on its JSON report. Everything is labelled `dockaudit.test=1` and named `da-it-*`
 * so a later run (or teardown) can find and remove it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IMAGES } from '../../scripts/testbed/images.mjs';

export { IMAGES };

export const LABEL_KEY = 'dockaudit.test';
export const LABEL_VALUE = '1';
export const NAME_PREFIX = 'da-it-';
/** User-defined bridge network for the hardened container (not the default bridge). */
export const NETWORK = 'da-it-net';

/**
 * Tag the stale-image container is created from: it names the busybox image while the
 * container is created, then setup moves it to another image, so the container runs an
 * image its tag no longer names.
 */
export const STALE_TAG = 'da-test/stale:1';

/** Host ports the scenario publishes (chosen to stay clear of anything a host usually runs). */
export const PORTS = {
  /** Below 1024: a privileged host port. */
  privileged: 81,
  /** The database port, on every interface. */
  databasePublic: 5432,
  /** A database port bound to 127.0.0.1 only. */
  databaseLocal: 15432,
  /** The hardened container's port, on 127.0.0.1 only. */
  hardened: 18080,
} as const;

export interface ScenarioContainer {
  name: string;
  image: string;
  /** `docker create` options (before the image). */
  options: string[];
  /** Command after the image; the image's CMD when empty. */
  command: string[];
  /** Started with `docker start` after creation; privileged containers cannot start here. */
  start: boolean;
  /** What setup waits for before the tests run: a health status, or RESTART_LOOP_COUNT restarts. */
  waitFor?: 'healthy' | 'unhealthy' | 'restarted';
}

const SLEEP = ['sleep', '86400'];

/** Restarts setup waits for in the restart-loop container (Docker backs off 100 ms, 200 ms, 400 ms …). */
export const RESTART_LOOP_COUNT = 3;

function container(
  name: string,
  options: string[],
  extra: Partial<Omit<ScenarioContainer, 'name' | 'options'>> = {},
): ScenarioContainer {
  return { name: `${NAME_PREFIX}${name}`, image: IMAGES.busybox, options, command: SLEEP, start: true, ...extra };
}

/** Every scenario container by role. */
export const C = {
  /** No options at all: the baseline every host-namespace and mount rule passes on. */
  plain: container('plain', []),
  hostNetwork: container('host-network', ['--network', 'host']),
  hostPid: container('host-pid', ['--pid', 'host']),
  hostIpc: container('host-ipc', ['--ipc', 'host']),
  hostUts: container('host-uts', ['--uts', 'host']),
  dockerSocket: container('docker-socket', ['-v', '/var/run/docker.sock:/var/run/docker.sock']),
  etcMount: container('etc-mount', ['-v', '/etc:/host/etc']),
  capAdd: container('cap-add', ['--cap-add', 'SYS_ADMIN', '--cap-add', 'NET_ADMIN']),
  privileged: container('privileged', ['--privileged'], { start: false }),
  privilegedPort: container('privileged-port', ['-p', `${PORTS.privileged}:8080`]),
  databasePublic: container('db-public', ['-p', `${PORTS.databasePublic}:5432`], { image: IMAGES.postgres }),
  databaseLocal: container('db-local', ['-p', `127.0.0.1:${PORTS.databaseLocal}:5432`], { image: IMAGES.postgres }),
  swapUnlimited: container('swap-unlimited', ['--memory', '64m', '--memory-swap', '-1']),
  oomKillDisabled: container('oom-kill-disabled', ['--oom-kill-disable']),
  restartAlways: container('restart-always', ['--restart', 'always']),
  seccompUnconfined: container('seccomp-unconfined', ['--security-opt', 'seccomp=unconfined']),
  noLogging: container('no-logging', ['--log-driver', 'none']),
  ulimitOverride: container('ulimit-override', ['--ulimit', 'nofile=1024:2048']),
  usernsHost: container('userns-host', ['--userns', 'host']),
  staleImage: container('stale-image', [], { image: STALE_TAG }),
  restartLoop: container('restart-loop', ['--restart', 'always'], { command: ['sh', '-c', 'exit 1'], waitFor: 'restarted' }),
  logSingleFile: container('log-single-file', ['--log-opt', 'max-size=1m', '--log-opt', 'max-file=1']),
  /** Reads every container's json-file logs, as Fluent Bit would: the logs of the others are collected. */
  logShipper: container('log-shipper', ['-v', '/var/lib/docker/containers:/var/lib/docker/containers:ro'], { image: IMAGES.fluentBit }),
  unhealthy: container('unhealthy', ['--health-cmd', 'exit 1', '--health-interval', '1s', '--health-retries', '1'], {
    waitFor: 'unhealthy',
  }),
  sshd: container('sshd', [], { image: IMAGES.sshd, command: [] }),
  hardened: container(
    'hardened',
    [
      '--user', '1000:1000',
      '--read-only',
      '--cap-drop', 'ALL',
      '--security-opt', 'no-new-privileges:true',
      '--memory', '64m',
      '--memory-swap', '64m',
      '--cpu-shares', '512',
      '--cpu-quota', '50000',
      '--pids-limit', '64',
      '--restart', 'on-failure:5',
      '--network', NETWORK,
      '-p', `127.0.0.1:${PORTS.hardened}:8080`,
      '--log-driver', 'json-file',
      '--log-opt', 'max-size=10m',
      '--log-opt', 'max-file=3',
    ],
    { image: IMAGES.hardened, command: [], waitFor: 'healthy' },
  ),
} satisfies Record<string, ScenarioContainer>;

export type Role = keyof typeof C;

export const SCENARIO: ScenarioContainer[] = Object.values(C);

/** Names of every scenario container. */
export const SCENARIO_NAMES: string[] = SCENARIO.map((entry) => entry.name);

/** Scenario containers whose findings do not change between two audits (the restart loop's state and count do). */
export const STABLE_NAMES: string[] = SCENARIO_NAMES.filter((name) => name !== C.restartLoop.name);

// --- running the real CLI -------------------------------------------------------------------

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'bin/dockaudit');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The report's public JSON shape, as much of it as the tests read. */
export interface ReportFinding {
  ruleId: string;
  alias: string;
  status: string;
  severity: string;
  references: { cis: string[]; checklist: string[] };
  subject: { kind: string; id?: string; name?: string };
  message: string;
  messageId: string;
  suppressed?: { reason: string };
}

export interface ReportJson {
  schemaVersion: number;
  tool: { name: string; version: string };
  target: { dockerHost: string };
  summary: { total: number; byStatus: Record<string, number>; failuresBySeverity: Record<string, number> };
  findings: ReportFinding[];
  problems: unknown[];
}

/**
 * Spawns `node bin/dockaudit ...args` in a scratch directory (so no .dockaudit.yml of the
 * checkout is picked up) with an environment free of DOCKAUDIT_* settings.
 */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) {
    throw new Error('dist/cli/main.js is missing: run `npm run build` before the integration tests');
  }
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('DOCKAUDIT_')));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? tmpdir(),
      env: { ...env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fresh scratch directory for files a test writes (reports, snapshots, configs). */
export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'dockaudit-it-'));
}

/** Runs a full JSON audit written with --output and returns the exit code and parsed report. */
export async function auditToFile(extraArgs: string[] = []): Promise<{ result: CliResult; report: ReportJson; file: string }> {
  const file = join(scratchDir(), 'report.json');
  const result = await runCli(['audit', '--format', 'json', '--output', file, ...extraArgs]);
  if (!existsSync(file)) {
    throw new Error(`dockaudit wrote no report (exit ${result.code}): ${result.stderr.trim()}`);
  }
  return { result, report: JSON.parse(readFileSync(file, 'utf8')) as ReportJson, file };
}

let sharedAudit: Promise<{ result: CliResult; report: ReportJson }> | undefined;

/** One live audit shared by the tests of a file (the scenario does not change during a run). */
export function liveAudit(): Promise<{ result: CliResult; report: ReportJson }> {
  sharedAudit ??= auditToFile();
  return sharedAudit;
}

let sharedSnapshot: Promise<string> | undefined;

/**
 * One `dockaudit snapshot -o FILE` of the scenario, shared by the tests of a file: auditing it
 * with --snapshot exercises the same rules, config and exit codes without collecting again.
 */
export function scenarioSnapshot(): Promise<string> {
  sharedSnapshot ??= (async () => {
    const file = join(scratchDir(), 'snapshot.json');
    const result = await runCli(['snapshot', '-o', file]);
    if (result.code !== 0 || !existsSync(file)) throw new Error(`dockaudit snapshot exited ${result.code}: ${result.stderr.trim()}`);
    return file;
  })();
  return sharedSnapshot;
}

export interface RuleMetaJson {
  id: string;
  alias: string;
  family: string;
}

let sharedRules: Promise<RuleMetaJson[]> | undefined;

/** The rules the CLI knows (`dockaudit rules --format json`). */
export function listRules(): Promise<RuleMetaJson[]> {
  sharedRules ??= runCli(['rules', '--format', 'json']).then((result) => {
    if (result.code !== 0) throw new Error(`dockaudit rules exited ${result.code}: ${result.stderr.trim()}`);
    return JSON.parse(result.stdout) as RuleMetaJson[];
  });
  return sharedRules;
}

/** Findings of one subject (container name without the leading slash). */
export function findingsFor(report: ReportJson, name: string): ReportFinding[] {
  return report.findings.filter((finding) => finding.subject.name === name);
}
