/**
 * Registry credentials as the Docker CLI keeps them: `auths` in the Docker config file
 * (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`), or a credential helper
 * (`credHelpers` for one registry, `credsStore` for all) run as `docker-credential-<name> get`.
 * Credentials are held in memory for the requests that need them; never logged, never stored.
 */
import { spawn } from 'node:child_process';
import { readBoundedFile } from '../bounded-file.js';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Credentials {
  username: string;
  password: string;
}

const CONFIG_BYTES = 1 << 20;
const HELPER_TIMEOUT_MS = 10_000;
/** The most a credential helper may print (its answer is a small JSON object). */
const HELPER_OUTPUT_BYTES = 64 << 10;

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
    // Never more than the cap is read, whatever the file's size (it may also grow while read); a FIFO is not waited on.
    const read = readBoundedFile(path, CONFIG_BYTES);
    if (read.status !== 'read') return undefined;
    const text = read.bytes.toString('utf8');
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as DockerConfig) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `docker-credential-<helper> get` for a server: its credentials, or undefined when it has
 * none for it (it exits non-zero, as helpers do for an unknown server). A helper that does not
 * answer within HELPER_TIMEOUT_MS (or before `signal`), prints more than HELPER_OUTPUT_BYTES or
 * prints something that is not its JSON answer is killed and is an error; what it printed is
 * never repeated.
 */
function fromHelper(helper: string, server: string, signal?: AbortSignal): Promise<Credentials | undefined> {
  if (!/^[A-Za-z0-9_.-]+$/.test(helper)) return Promise.resolve(undefined);
  const program = `docker-credential-${helper}`;
  return new Promise((resolve, reject) => {
    let settled = false;
    const chunks: Buffer[] = [];
    let length = 0;
    const child = spawn(program, ['get'], { stdio: ['pipe', 'pipe', 'ignore'] });
    // Settled without waiting for the helper's output to close: a helper that ignores the kill,
    // or left a child holding its stdout, does not hold the check up.
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      child.stdout?.destroy();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      outcome();
    };
    const failWith = (reason: string): void => settle(() => reject(new Error(`the credential helper ${program} ${reason}`)));
    const timer = setTimeout(() => failWith(`did not answer within ${HELPER_TIMEOUT_MS / 1000} s`), HELPER_TIMEOUT_MS);
    const onAbort = (): void => failWith('was stopped: the registry checks ran out of time');
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error: NodeJS.ErrnoException) => settle(() => (error.code === 'ENOENT' ? resolve(undefined) : reject(new Error(`the credential helper ${program} could not be run (${error.code ?? 'error'})`)))));
    child.stdout?.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > HELPER_OUTPUT_BYTES) failWith(`printed more than ${HELPER_OUTPUT_BYTES} bytes`);
      else chunks.push(chunk);
    });
    child.on('exit', (code) => {
      if (code !== 0) {
        settle(() => resolve(undefined));
        return;
      }
      // Its output may still be arriving: read it once the pipe ends (the timer still runs).
      const done = (): void => {
        let answer: { Username?: unknown; Secret?: unknown } | undefined;
        try {
          answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Username?: unknown; Secret?: unknown };
        } catch {
          answer = undefined;
        }
        if (typeof answer?.Username === 'string' && typeof answer.Secret === 'string') {
          const credentials = { username: answer.Username, password: answer.Secret };
          settle(() => resolve(credentials));
        } else failWith('gave an answer that is not its JSON credentials');
      };
      if (child.stdout === null || child.stdout.readableEnded) done();
      else child.stdout.once('end', done);
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(server);
  });
}

/** The credentials the Docker CLI would use for `registry` (a normalised host, `docker.io` for Docker Hub). */
export async function credentialsFor(registry: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<Credentials | undefined> {
  const config = await readConfig(env);
  if (!config) return undefined;
  const wanted = new Set(keysFor(registry).map(hostOfKey));
  const helper = Object.entries(config.credHelpers ?? {}).find(([key]) => wanted.has(hostOfKey(key)))?.[1];
  if (helper) return fromHelper(helper, registry === 'docker.io' ? HUB_KEYS[0] as string : registry, signal);
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    if (!wanted.has(hostOfKey(key)) || typeof entry !== 'object' || entry === null) continue;
    if (typeof entry.auth === 'string' && entry.auth !== '') {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (typeof entry.username === 'string' && typeof entry.password === 'string') return { username: entry.username, password: entry.password };
  }
  if (config.credsStore) return fromHelper(config.credsStore, registry === 'docker.io' ? HUB_KEYS[0] as string : registry, signal);
  return undefined;
}
