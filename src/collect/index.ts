/**
 * Collection: the only layer that does I/O against the host. Produces a Snapshot.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { SNAPSHOT_SCHEMA_VERSION, isUnavailable, type HostFacts, type Snapshot } from '../snapshot/types.js';
import { VERSION } from '../version.js';
import { createClient, resolveEndpoint } from './client.js';
import { collectDaemonConfig } from './daemon-config.js';
import { collectDocker, type Progress } from './docker.js';

export interface CollectOptions {
  host?: string;
  env: NodeJS.ProcessEnv;
  concurrency?: number;
  progress?: Progress;
}

function readFlag(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function hostFacts(daemonIsLocal: boolean): HostFacts {
  const apparmor = readFlag('/sys/module/apparmor/parameters/enabled');
  return {
    hostname: hostname(),
    daemonIsLocal,
    ...(apparmor !== undefined ? { apparmorEnabled: apparmor === 'Y' } : {}),
    selinuxEnabled: existsSync('/sys/fs/selinux/enforce'),
  };
}

/** Collects a snapshot of the Docker host named by the options. */
export async function collectSnapshot(options: CollectOptions): Promise<Snapshot> {
  const endpoint = resolveEndpoint(options.host, options.env);
  const client = createClient(endpoint);
  const daemonIsLocal = endpoint.socketPath !== undefined && existsSync(endpoint.socketPath);
  const docker = await collectDocker(client, endpoint.address, {
    concurrency: options.concurrency ?? 16,
    ...(options.progress ? { progress: options.progress } : {}),
  });
  if (!isUnavailable(docker.daemon)) {
    docker.daemon.config =
      daemonIsLocal && endpoint.socketPath
        ? await collectDaemonConfig(endpoint.socketPath)
        : { unavailable: true, reason: `the daemon at ${endpoint.address} is not on this machine; its configuration files are not readable` };
    if (isUnavailable(docker.daemon.config)) docker.problems.push({ scope: 'daemon', reason: docker.daemon.config.reason });
  }
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
    host: hostFacts(daemonIsLocal),
    problems: docker.problems,
  };
}
