/**
 * Docker CLI contexts, read as the docker CLI reads them: `meta.json` of a context under
 * `$DOCKER_CONFIG/contexts/meta/<sha256 of its name>/` gives the daemon's address and whether
 * its certificate is checked; `contexts/tls/<same>/docker/` holds `ca.pem`, `cert.pem` and
 * `key.pem`. The current context is `DOCKER_CONTEXT`, else `currentContext` of `config.json`,
 * unless `DOCKER_HOST` is set. `default` is DOCKER_HOST, else the local socket.
 *
 * A context becomes the address and environment the client already understands (DOCKER_HOST,
 * DOCKER_TLS_VERIFY or DOCKER_TLS, DOCKER_CERT_PATH), so image scans reach the same daemon.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError, describeError } from '../errors.js';
import { DEFAULT_DOCKER_HOST } from './endpoint.js';
import { readBoundedFile } from './bounded-file.js';

export { DEFAULT_DOCKER_HOST };

export const DEFAULT_CONTEXT = 'default';

/** The largest `meta.json` or `config.json` read: far above what either holds. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export interface ResolvedContext {
  name: string;
  /** The daemon's address. */
  host: string;
  /** The environment with the context's DOCKER_HOST and TLS settings in place of the shell's. */
  env: NodeJS.ProcessEnv;
}

/** Where the docker CLI keeps its configuration: `DOCKER_CONFIG`, else `~/.docker`. */
export function dockerConfigDirectory(env: NodeJS.ProcessEnv): string {
  return env['DOCKER_CONFIG'] || join(env['HOME'] || homedir(), '.docker');
}

/** The directory name of a context: the hex SHA-256 of its name. */
export function contextId(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest('hex');
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    const read = readBoundedFile(path, MAX_CONFIG_BYTES);
    if (read.status === 'not-regular') throw new Error(`${read.type}, not a regular file`);
    if (read.status === 'too-large') throw new Error(`larger than ${MAX_CONFIG_BYTES} bytes`);
    text = read.bytes.toString('utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${describeError(error)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${what} ${path} is not valid JSON: ${describeError(error)}`);
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The context the docker CLI would use with no `--context` and no `--host`, or undefined for
 * `default`: DOCKER_HOST wins, then DOCKER_CONTEXT, then `currentContext` of config.json.
 */
export function currentContextName(env: NodeJS.ProcessEnv): string | undefined {
  if (env['DOCKER_HOST']) return undefined;
  const named = env['DOCKER_CONTEXT'];
  if (named) return named === DEFAULT_CONTEXT ? undefined : named;
  const configFile = join(dockerConfigDirectory(env), 'config.json');
  if (!existsSync(configFile)) return undefined;
  const current = record(readJson(configFile, 'docker CLI configuration'))['currentContext'];
  return typeof current === 'string' && current !== '' && current !== DEFAULT_CONTEXT ? current : undefined;
}

const TLS_VARIABLES = ['DOCKER_TLS_VERIFY', 'DOCKER_TLS', 'DOCKER_CERT_PATH'] as const;

/** The daemon address and environment of the named context; an unknown context is a usage error. */
export function resolveContext(name: string, env: NodeJS.ProcessEnv): ResolvedContext {
  if (name === DEFAULT_CONTEXT) return { name, host: env['DOCKER_HOST'] || DEFAULT_DOCKER_HOST, env };
  const root = join(dockerConfigDirectory(env), 'contexts');
  const id = contextId(name);
  const metaFile = join(root, 'meta', id, 'meta.json');
  if (!existsSync(metaFile)) throw new UsageError(`context "${name}" not found (no ${metaFile})`);
  const meta = record(readJson(metaFile, `context "${name}"`));
  const endpoint = record(record(meta['Endpoints'])['docker']);
  const host = endpoint['Host'];
  if (typeof host !== 'string' || host === '') throw new UsageError(`context "${name}" has no Docker endpoint (Endpoints.docker.Host in ${metaFile})`);
  const skipVerify = endpoint['SkipTLSVerify'] === true;
  const tlsDirectory = join(root, 'tls', id, 'docker');
  const contextEnv: NodeJS.ProcessEnv = { ...env, DOCKER_HOST: host };
  // The context alone decides TLS, whatever the shell's variables say.
  for (const variable of TLS_VARIABLES) delete contextEnv[variable];
  if (existsSync(tlsDirectory)) {
    contextEnv['DOCKER_CERT_PATH'] = tlsDirectory;
    if (skipVerify) contextEnv['DOCKER_TLS'] = '1';
    else contextEnv['DOCKER_TLS_VERIFY'] = '1';
  } else if (skipVerify) {
    contextEnv['DOCKER_TLS'] = '1';
    contextEnv['DOCKER_CERT_PATH'] = tlsDirectory;
  }
  return { name, host, env: contextEnv };
}
