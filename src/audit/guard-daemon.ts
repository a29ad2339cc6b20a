/**
 * The daemon facts of `dockaudit guard`: what the container rules read about the daemon
 * (`/version`, `/info` and, for a daemon on this machine, its daemon.json and command line), read
 * off the request path and kept in the policy, so a request is judged as `audit` would judge the
 * same container on that daemon (e.g. DA526 passes when the daemon sets no-new-privileges for
 * every container).
 *
 * Read once at start (without waiting for it: the daemon may itself be waiting for the plugin),
 * then every `refreshMs`; a failed read is tried again after 1 s, doubling up to the refresh
 * interval. Each read has its own deadline, for the whole read. The last facts read are kept
 * while a refresh fails, for at most `maxAgeMs` (5 refresh intervals by default): older, they are
 * no longer trusted (the daemon may have been restarted with other settings) and dropped. Until a
 * read succeeds, rules that need the daemon's facts refuse in enforce mode (see guard/decide.ts).
 */
import { existsSync } from 'node:fs';
import { describeError } from '../errors.js';
import type { GuardPolicy } from '../guard/decide.js';
import { guardPolicy, type GuardOptions, type GuardServer } from '../guard/index.js';
import { startGuardServer } from '../guard/server.js';
import type { ApiDocument, DaemonFacts } from '../snapshot/types.js';

export const DEFAULT_DAEMON_REFRESH_MS = 60_000;
export const DEFAULT_DAEMON_READ_TIMEOUT_MS = 5_000;
const RETRY_INITIAL_MS = 1_000;

export interface GuardDaemonOptions {
  /** The daemon the guard serves: `unix:///path`, `tcp://…`; default DOCKER_HOST, else the local socket. */
  host?: string;
  env?: NodeJS.ProcessEnv;
  refreshMs?: number;
  timeoutMs?: number;
  /** How old the last facts read may grow while refreshes fail; default 5 × `refreshMs`. */
  maxAgeMs?: number;
  onNotice?: (message: string) => void;
}

export interface DaemonFactsFollower {
  /** Resolves after the first read, successful or not. */
  readonly first: Promise<void>;
  stop(): void;
}

/** Reads the daemon's facts once, within `timeoutMs` for the whole read (the local files included). */
export async function readDaemonFacts(options: GuardDaemonOptions): Promise<DaemonFacts> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_DAEMON_READ_TIMEOUT_MS;
  // Loaded before the deadline starts: the first read should not pay for it.
  const modules = await Promise.all([import('../collect/endpoint.js'), import('../collect/daemon-config.js')]);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no complete read within ${(timeoutMs / 1000).toFixed(1)} s`)), timeoutMs);
  });
  try {
    return await Promise.race([readFacts(options, timeoutMs, modules), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function readFacts(
  options: GuardDaemonOptions,
  timeoutMs: number,
  [{ createClient, resolveEndpoint }, { collectDaemonConfig }]: [typeof import('../collect/endpoint.js'), typeof import('../collect/daemon-config.js')],
): Promise<DaemonFacts> {
  const endpoint = resolveEndpoint(options.host, options.env ?? process.env);
  const client = createClient(endpoint, { signal: AbortSignal.timeout(timeoutMs), requestTimeout: timeoutMs });
  try {
    const local = endpoint.socketPath !== undefined && existsSync(endpoint.socketPath);
    const [version, info, config] = await Promise.all([
      client.version() as Promise<ApiDocument>,
      client.info() as Promise<ApiDocument>,
      local
        ? collectDaemonConfig({ socketPath: endpoint.socketPath as string }).catch((error: unknown) => ({ unavailable: true as const, reason: `could not read the daemon configuration: ${describeError(error)}` }))
        : Promise.resolve({ unavailable: true as const, reason: `the daemon at ${endpoint.address} is not on this machine; its configuration files are not readable` }),
    ]);
    return { version, info, config };
  } finally {
    client.close();
  }
}

/** Keeps `policy.daemon` up to date until stopped. */
export function followDaemonFacts(policy: GuardPolicy, options: GuardDaemonOptions): DaemonFactsFollower {
  const refreshMs = options.refreshMs ?? DEFAULT_DAEMON_REFRESH_MS;
  const maxAgeMs = options.maxAgeMs ?? 5 * refreshMs;
  let readAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let failures = 0;
  let resolveFirst: () => void = () => undefined;
  const first = new Promise<void>((resolve) => (resolveFirst = resolve));
  const read = async (): Promise<void> => {
    try {
      const facts = await readDaemonFacts(options);
      if (stopped) return;
      const news = policy.daemon === undefined || failures > 0;
      policy.daemon = facts;
      readAt = Date.now();
      failures = 0;
      if (news) options.onNotice?.(`daemon facts read (${String(facts.info['Name'] ?? 'daemon')}, ${String(facts.version['Version'] ?? 'unknown version')}); refreshed every ${Math.round(refreshMs / 1000)} s`);
      schedule(refreshMs);
    } catch (error) {
      if (stopped) return;
      const delay = Math.min(RETRY_INITIAL_MS * 2 ** failures, refreshMs);
      failures += 1;
      if (policy.daemon !== undefined && Date.now() - readAt > maxAgeMs) {
        delete policy.daemon;
        options.onNotice?.(`the daemon's facts were read ${Math.round((Date.now() - readAt) / 1000)} s ago and cannot be read again: no longer trusted`);
      }
      options.onNotice?.(
        `could not read the daemon's facts: ${describeError(error)}; ${policy.daemon === undefined ? 'until they are read, rules that need them refuse in enforce mode' : 'the last ones read are kept'}; next try in ${(delay / 1000).toFixed(0)} s`,
      );
      schedule(delay);
    } finally {
      resolveFirst();
    }
  };
  const schedule = (delay: number): void => {
    if (stopped) return;
    timer = setTimeout(() => void read(), delay);
    timer.unref();
  };
  void read();
  return {
    first,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/**
 * `dockaudit guard` with the daemon's facts: the policy built, the facts followed, the plugin
 * socket served. Closing the server stops the reads too.
 */
export async function guardWithDaemonFacts(options: GuardOptions & { daemon?: never; daemonFacts?: GuardDaemonOptions }): Promise<GuardServer> {
  const { daemonFacts, ...rest } = options;
  const policy = await guardPolicy(rest);
  const follower = followDaemonFacts(policy, daemonFacts ?? {});
  let server: GuardServer;
  try {
    server = await startGuardServer({ ...rest, policy });
  } catch (error) {
    follower.stop();
    throw error;
  }
  return {
    socket: server.socket,
    close: async () => {
      follower.stop();
      await server.close();
    },
  };
}
