/**
 * The Docker Engine API client, pointed at `--host`, else DOCKER_HOST
 * (with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH), else the default unix socket.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_IDLE_TIMEOUT_MS, EngineClient, type EngineClientOptions } from './docker-api.js';
import { UsageError } from '../errors.js';

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

export interface DockerEndpoint {
  /** The address as given or defaulted, for messages and the report header. */
  address: string;
  /** The unix socket path when the daemon is reached through one. */
  socketPath?: string;
  options: EngineClientOptions;
}

/** How long the collection from one daemon may take in all, by default. */
export const DEFAULT_TARGET_TIMEOUT_MS = 300_000;

/** The bounds of the requests to one daemon; what is not given keeps the client's default. */
export interface RequestBounds {
  /** Bytes a JSON answer may have. */
  maxResponseBytes?: number;
  /** Milliseconds a JSON call may take in all. */
  requestTimeout?: number;
  /** Ends every request when it aborts (the deadline of the whole collection). */
  signal?: AbortSignal;
}

function tlsFiles(certPath: string): Pick<EngineClientOptions, 'ca' | 'cert' | 'key'> {
  try {
    return {
      ca: readFileSync(join(certPath, 'ca.pem')),
      cert: readFileSync(join(certPath, 'cert.pem')),
      key: readFileSync(join(certPath, 'key.pem')),
    };
  } catch (error) {
    throw new UsageError(`cannot read TLS files in DOCKER_CERT_PATH ${certPath}: ${(error as Error).message}`);
  }
}

/** Resolves where the daemon is, from the flag or the environment. */
export function resolveEndpoint(hostFlag: string | undefined, env: NodeJS.ProcessEnv): DockerEndpoint {
  const address = hostFlag ?? env['DOCKER_HOST'] ?? DEFAULT_DOCKER_HOST;
  if (address.startsWith('unix://') || address.startsWith('/')) {
    const socketPath = address.startsWith('unix://') ? address.slice('unix://'.length) : address;
    return { address, socketPath, options: { socketPath, timeout: DEFAULT_IDLE_TIMEOUT_MS } };
  }
  if (address.startsWith('tcp://') || address.startsWith('http://') || address.startsWith('https://')) {
    let url: URL;
    try {
      url = new URL(address.replace(/^tcp:/, 'http:'));
    } catch {
      throw new UsageError(`invalid Docker host address: ${address}`);
    }
    const verify = env['DOCKER_TLS_VERIFY'] !== undefined && env['DOCKER_TLS_VERIFY'] !== '' && env['DOCKER_TLS_VERIFY'] !== '0';
    const useTls = verify || url.protocol === 'https:' || url.port === '2376';
    const certPath = env['DOCKER_CERT_PATH'] ?? join(env['HOME'] ?? '/root', '.docker');
    return {
      address,
      options: {
        host: url.hostname,
        port: url.port || (useTls ? '2376' : '2375'),
        protocol: useTls ? 'https' : 'http',
        timeout: DEFAULT_IDLE_TIMEOUT_MS,
        ...(verify ? tlsFiles(certPath) : {}),
      },
    };
  }
  throw new UsageError(`unsupported Docker host address: ${address} (use unix:///path or tcp://host:port)`);
}

export function createClient(endpoint: DockerEndpoint, bounds: RequestBounds = {}): EngineClient {
  return new EngineClient({ ...endpoint.options, ...bounds });
}
