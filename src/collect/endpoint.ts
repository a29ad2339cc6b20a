/**
 * The Docker Engine API client, pointed at `--host`, else DOCKER_HOST
 * (with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH), else the default unix socket.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_IDLE_TIMEOUT_MS, EngineClient, type EngineClientOptions } from './docker-api.js';
import { UsageError } from '../errors.js';
import { SSH_MAX_CONNECTIONS, parseSshAddress, sshConnection } from './dial-stdio.js';
import { readBoundedFile } from './bounded-file.js';

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

/** A PEM certificate or key is a few KiB; a larger file is refused unread. */
const MAX_TLS_FILE_BYTES = 1024 * 1024;

/**
 * The TLS files of DOCKER_CERT_PATH (`ca.pem`, `cert.pem`, `key.pem`) that are there: a context
 * may hold only a CA. Checking the daemon's certificate with none of them is a usage error.
 */
function tlsFiles(certPath: string, verify: boolean): Pick<EngineClientOptions, 'ca' | 'cert' | 'key'> {
  let files: Pick<EngineClientOptions, 'ca' | 'cert' | 'key'>;
  try {
    const present = (name: string): Buffer | undefined => {
      const path = join(certPath, name);
      if (!existsSync(path)) return undefined;
      const read = readBoundedFile(path, MAX_TLS_FILE_BYTES);
      if (read.status === 'not-regular') throw new Error(`${name} is ${read.type}, not a regular file`);
      if (read.status === 'too-large') throw new Error(`${name} is larger than ${MAX_TLS_FILE_BYTES} bytes`);
      return read.bytes;
    };
    const [ca, cert, key] = [present('ca.pem'), present('cert.pem'), present('key.pem')];
    files = { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
  } catch (error) {
    throw new UsageError(`cannot read TLS files in DOCKER_CERT_PATH ${certPath}: ${(error as Error).message}`);
  }
  if (verify && Object.keys(files).length === 0) throw new UsageError(`no TLS files (ca.pem, cert.pem, key.pem) in DOCKER_CERT_PATH ${certPath}`);
  if ((files.cert === undefined) !== (files.key === undefined)) throw new UsageError(`DOCKER_CERT_PATH ${certPath} holds one of cert.pem and key.pem without the other`);
  return files;
}

/** Resolves where the daemon is, from the flag or the environment. */
export function resolveEndpoint(hostFlag: string | undefined, env: NodeJS.ProcessEnv): DockerEndpoint {
  const address = hostFlag ?? env['DOCKER_HOST'] ?? DEFAULT_DOCKER_HOST;
  if (address.startsWith('ssh://')) {
    const target = parseSshAddress(address);
    return { address, options: { connect: () => sshConnection(target), maxSockets: SSH_MAX_CONNECTIONS, timeout: DEFAULT_IDLE_TIMEOUT_MS } };
  }
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
    const verify = isSet(env['DOCKER_TLS_VERIFY']);
    // DOCKER_TLS, as for the docker CLI: TLS without checking the daemon's certificate.
    const unverified = !verify && isSet(env['DOCKER_TLS']);
    const useTls = verify || unverified || url.protocol === 'https:' || url.port === '2376';
    const certPath = env['DOCKER_CERT_PATH'] ?? join(env['HOME'] ?? '/root', '.docker');
    return {
      address,
      options: {
        host: url.hostname,
        port: url.port || (useTls ? '2376' : '2375'),
        protocol: useTls ? 'https' : 'http',
        timeout: DEFAULT_IDLE_TIMEOUT_MS,
        ...(verify || unverified ? tlsFiles(certPath, verify) : {}),
        ...(unverified ? { rejectUnauthorized: false } : {}),
      },
    };
  }
  throw new UsageError(`unsupported Docker host address: ${address} (use unix:///path, tcp://host:port or ssh://user@host)`);
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0';
}

export function createClient(endpoint: DockerEndpoint, bounds: RequestBounds = {}): EngineClient {
  return new EngineClient({ ...endpoint.options, ...bounds });
}
