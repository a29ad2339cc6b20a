/**
 * Collection: the only layer that does I/O against the host. Produces a Snapshot.
 */
import { existsSync } from 'node:fs';
import { describeError } from '../errors.js';
import { SNAPSHOT_SCHEMA_VERSION, isUnavailable, type Snapshot } from '../snapshot/types.js';
import { VERSION } from '../version.js';
export { filesOnlySnapshot } from './source-files-only.js';
import { DEFAULT_TARGET_TIMEOUT_MS, createClient, resolveEndpoint } from './endpoint.js';
import { formatSeconds } from './docker-api.js';
import { collectDaemonConfig } from './daemon-config.js';
import { collectDocker, type Progress } from './docker.js';
import { collectHost } from './host/index.js';

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
}

/** Collects a snapshot of the Docker host named by the options. */
export async function collectSnapshot(options: CollectOptions): Promise<Snapshot> {
  const endpoint = resolveEndpoint(options.host, options.env);
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
  const configDone =
    daemonIsLocal && endpoint.socketPath
      ? collectDaemonConfig(endpoint.socketPath).catch((error: unknown) => ({ unavailable: true as const, reason: `could not read the daemon configuration: ${describeError(error)}` }))
      : Promise.resolve({ unavailable: true as const, reason: `the daemon at ${endpoint.address} is not on this machine; its configuration files are not readable` });
  const dockerDone = collectDocker(client, endpoint.address, {
    concurrency: options.concurrency ?? 16,
    deadline: deadline.signal,
    ...(options.progress ? { progress: options.progress } : {}),
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
  // Host reads start at once and wait for the daemon's facts only where they need them.
  const hostDone = collectHost({
    hostRoot: options.hostRoot ?? '/',
    hostRootExplicit: options.hostRoot !== undefined,
    daemonIsLocal,
    daemonAddress: endpoint.address,
    ...(endpoint.socketPath ? { socketPath: endpoint.socketPath } : {}),
    env: options.env,
    daemon: dockerDone.then((docker) => docker.daemon),
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

