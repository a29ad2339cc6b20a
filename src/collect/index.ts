/**
 * Collection: the only layer that does I/O against the host. Produces a Snapshot.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError, describeError } from '../errors.js';
import { SNAPSHOT_SCHEMA_VERSION, isUnavailable, type DaemonFacts, type Snapshot, type Unavailable } from '../snapshot/types.js';
import { VERSION } from '../version.js';
import type { ContainerSelection } from '../snapshot/container-selection.js';
export { filesOnlySnapshot } from './source-files-only.js';
import { DEFAULT_TARGET_TIMEOUT_MS, createClient, resolveEndpoint } from './endpoint.js';
import { formatSeconds } from './docker-api.js';
import { collectDaemonConfig } from './daemon-config.js';
import { collectDocker, type Progress } from './docker.js';
import { collectHost } from './host/index.js';
import { readContainerProcesses, readUsers } from './processes.js';

/**
 * Where the processes of running containers come from (DOCKAUDIT_PROCESSES): `auto` reads them
 * from /proc when the daemon is on this machine and lists the others with `top`; `api` always
 * asks `top`; `local` reads /proc only and reports a container it cannot see there as unread.
 */
export type ProcessSource = 'auto' | 'api' | 'local';

function processSource(env: NodeJS.ProcessEnv): ProcessSource {
  const value = env['DOCKAUDIT_PROCESSES'];
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'api' || value === 'local') return value;
  throw new UsageError(`DOCKAUDIT_PROCESSES must be auto, api or local, not ${JSON.stringify(value)}`);
}

export interface CollectOptions {
  host?: string;
  env: NodeJS.ProcessEnv;
  concurrency?: number;
  /** Where the host's filesystem is mounted (default `/`). */
  hostRoot?: string;
  progress?: Progress;
  /** Bytes a JSON answer of the Engine API may have (default 64 MiB). */
  maxResponseBytes?: number;
  /** Milliseconds one Engine API call may take in all (default 30 s). */
  requestTimeoutMs?: number;
  /** Milliseconds the whole collection from the daemon may take (default 5 min). */
  targetTimeoutMs?: number;
  /** The containers to read (`--containers`, `--exclude-containers`, `--label`); default all. */
  containers?: ContainerSelection;
}

/** Collects a snapshot of the Docker host named by the options. */
export async function collectSnapshot(options: CollectOptions): Promise<Snapshot> {
  const endpoint = resolveEndpoint(options.host, options.env);
  const source = processSource(options.env);
  // One deadline for everything asked of this daemon: past it, requests in flight end and the
  // rest are not sent, and what was left unread is reported as such.
  const targetTimeoutMs = options.targetTimeoutMs ?? DEFAULT_TARGET_TIMEOUT_MS;
  const deadline = new AbortController();
  const deadlineTimer = setTimeout(
    () => deadline.abort(new Error(`the collection from ${endpoint.address} did not finish within ${formatSeconds(targetTimeoutMs)}`)),
    targetTimeoutMs,
  );
  const client = createClient(endpoint, {
    signal: deadline.signal,
    ...(options.maxResponseBytes !== undefined ? { maxResponseBytes: options.maxResponseBytes } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeout: options.requestTimeoutMs } : {}),
  });
  const daemonIsLocal = endpoint.socketPath !== undefined && existsSync(endpoint.socketPath);
  // The daemon's files and command line are read while the API answers.
  // Under --host-root they are the host's, read under that root, whatever the address.
  const configDone =
    daemonIsLocal || options.hostRoot !== undefined
      ? collectDaemonConfig({
          ...(endpoint.socketPath !== undefined ? { socketPath: endpoint.socketPath } : {}),
          ...(options.hostRoot !== undefined ? { hostRoot: options.hostRoot } : {}),
        }).catch((error: unknown) => ({ unavailable: true as const, reason: `could not read the daemon configuration: ${describeError(error)}` }))
      : Promise.resolve({ unavailable: true as const, reason: `the daemon at ${endpoint.address} is not on this machine; its configuration files are not readable` });
  const hostRoot = options.hostRoot ?? '/';
  // The daemon's PIDs are visible here when it is local (our /proc) or, under a host root,
  // in the host's /proc mounted there; processes.ts checks each container before trusting it.
  const procRoots = options.hostRoot !== undefined ? [join(hostRoot, 'proc'), '/proc'] : ['/proc'];
  const readLocally = source === 'local' || (source === 'auto' && (daemonIsLocal || options.hostRoot !== undefined));
  let daemonKnown: (daemon: DaemonFacts | Unavailable) => void = () => undefined;
  const daemonRead = new Promise<DaemonFacts | Unavailable>((resolve) => (daemonKnown = resolve));
  const dockerDone = collectDocker(client, endpoint.address, {
    onDaemon: daemonKnown,
    concurrency: options.concurrency ?? 16,
    deadline: deadline.signal,
    ...(readLocally
      ? {
          localProcesses: async (containers) => readContainerProcesses(containers, { procRoots, users: await readUsers(hostRoot), deadline: deadline.signal }),
          apiFallback: source !== 'local',
        }
      : {}),
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.containers ? { containers: options.containers } : {}),
  })
    .finally(() => {
      clearTimeout(deadlineTimer);
      // Connections kept for reuse end here (for ssh://, their processes).
      client.close();
    })
    .then(async (docker) => {
      const config = await configDone;
      if (!isUnavailable(docker.daemon)) {
        docker.daemon.config = config;
        if (isUnavailable(config)) docker.problems.push({ scope: 'daemon', reason: config.reason });
      }
      return docker;
    });
  // The daemon's facts with its configuration, once both are read: the host reads that need them
  // do not wait for every container. Whichever comes first, those or the whole collection (which
  // has them too, and ends this wait when the daemon could not be reached or the collection failed).
  const daemonFacts = Promise.race([
    daemonRead.then(async (daemon) => {
      const config = await configDone;
      if (!isUnavailable(daemon)) daemon.config = config;
      return daemon;
    }),
    dockerDone.then((docker) => docker.daemon),
  ]);
  // Host reads start at once and wait for the daemon's facts only where they need them.
  const hostDone = collectHost({
    hostRoot: options.hostRoot ?? '/',
    hostRootExplicit: options.hostRoot !== undefined,
    daemonIsLocal,
    daemonAddress: endpoint.address,
    ...(endpoint.socketPath ? { socketPath: endpoint.socketPath } : {}),
    env: options.env,
    daemon: daemonFacts,
  });
  const [docker, host] = await Promise.all([dockerDone, hostDone]);
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    tool: { name: 'dockaudit', version: VERSION },
    collectedAt: new Date().toISOString(),
    target: { dockerHost: endpoint.address },
    daemon: docker.daemon,
    containers: docker.containers,
    images: docker.images,
    networks: docker.networks,
    volumes: docker.volumes,
    swarm: docker.swarm,
    host,
    problems: docker.problems,
  };
}

