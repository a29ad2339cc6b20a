/**
 * Registry credentials as the Docker CLI keeps them: `auths` in the Docker config file
 * (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`), or a credential helper
 * (`credHelpers` for one registry, `credsStore` for all) run as `docker-credential-<name> get`.
 * Credentials are held in memory for the requests that need them; never logged, never stored.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Credentials {
  username: string;
  password: string;
}

const CONFIG_BYTES = 1 << 20;
const HELPER_TIMEOUT_MS = 10_000;

/** The keys Docker Hub is stored under, besides its own name. */
const HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];

function hostOfKey(key: string): string {
  return key.replace(/^https?:\/\//, '').replace(/\/.*$/, '').toLowerCase();
}

function keysFor(registry: string): string[] {
  return registry === 'docker.io' ? HUB_KEYS : [registry];
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

async function readConfig(env: NodeJS.ProcessEnv): Promise<DockerConfig | undefined> {
  const path = join(env['DOCKER_CONFIG'] || join(env['HOME'] || homedir(), '.docker'), 'config.json');
  try {
    const text = await readFile(path, 'utf8');
    if (text.length > CONFIG_BYTES) return undefined;
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as DockerConfig) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `docker-credential-<helper> get` for a server; undefined when it has nothing or fails. */
function fromHelper(helper: string, server: string): Promise<Credentials | undefined> {
  if (!/^[A-Za-z0-9_.-]+$/.test(helper)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const child = execFile(`docker-credential-${helper}`, ['get'], { timeout: HELPER_TIMEOUT_MS, maxBuffer: 1 << 20 }, (error, stdout) => {
      if (error) {
        resolve(undefined);
        return;
      }
      try {
        const answer = JSON.parse(stdout) as { Username?: unknown; Secret?: unknown };
        resolve(typeof answer.Username === 'string' && typeof answer.Secret === 'string' ? { username: answer.Username, password: answer.Secret } : undefined);
      } catch {
        resolve(undefined);
      }
    });
    child.stdin?.end(server);
  });
}

/** The credentials the Docker CLI would use for `registry` (a normalised host, `docker.io` for Docker Hub). */
export async function credentialsFor(registry: string, env: NodeJS.ProcessEnv): Promise<Credentials | undefined> {
  const config = await readConfig(env);
  if (!config) return undefined;
  const wanted = new Set(keysFor(registry).map(hostOfKey));
  const helper = Object.entries(config.credHelpers ?? {}).find(([key]) => wanted.has(hostOfKey(key)))?.[1];
  if (helper) return fromHelper(helper, registry === 'docker.io' ? HUB_KEYS[0] as string : registry);
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    if (!wanted.has(hostOfKey(key)) || typeof entry !== 'object' || entry === null) continue;
    if (typeof entry.auth === 'string' && entry.auth !== '') {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (typeof entry.username === 'string' && typeof entry.password === 'string') return { username: entry.username, password: entry.password };
  }
  if (config.credsStore) return fromHelper(config.credsStore, registry === 'docker.io' ? HUB_KEYS[0] as string : registry);
  return undefined;
}
