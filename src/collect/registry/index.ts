/**
 * Asks registries which digest the tags of the images in use name now (Registry HTTP API v2):
 * one HEAD of the tag's manifest, accepting manifest lists, OCI indexes and single manifests,
 * with Docker Hub's bearer-token flow (a `WWW-Authenticate: Bearer realm=…` challenge answered
 * at the realm, with the Docker CLI's credentials when it has some) or basic authentication.
 *
 * Only when asked for (`--check-registry`). Each request has a deadline, the whole check one
 * more; a registry that does not answer, refuses or has no such tag gives a reason instead of a
 * digest. Credentials never appear in a reason. Registries the daemon may reach without TLS
 * (loopback addresses, and those its configuration marks insecure) are tried with https first
 * and then plain http, as the daemon does.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import pLimit from 'p-limit';
import { describeError } from '../../errors.js';
import { isImageIdReference, parseImageReference, type ImageReference } from '../../parsers/image-reference.js';
import { obj, str } from '../../snapshot/api-document.js';
import type { RegistryFacts, RegistryTagCheck } from '../../snapshot/registry.js';
import { isUnavailable, type Snapshot } from '../../snapshot/types.js';
import { formatSeconds } from '../docker-api.js';
import { credentialsFor, type Credentials } from './credentials.js';

export interface RegistryCheckOptions {
  env: NodeJS.ProcessEnv;
  /** Milliseconds one request may take (default 10 s). */
  requestTimeoutMs?: number;
  /** Milliseconds the whole check may take (default 120 s). */
  totalTimeoutMs?: number;
  signal?: AbortSignal;
}

export const DEFAULT_REGISTRY_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_REGISTRY_TOTAL_TIMEOUT_MS = 120_000;
const ANSWER_BYTES = 4 << 20;

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
].join(', ');

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Where the API of a registry is: Docker Hub's is not at docker.io. */
function apiHost(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}

/** One request, read whole (up to ANSWER_BYTES) within `timeoutMs`. */
function send(url: string, method: 'HEAD' | 'GET', headers: Record<string, string>, timeoutMs: number, signal: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const requester = url.startsWith('https:') ? httpsRequest : httpRequest;
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`no answer within ${formatSeconds(timeoutMs)}`)), timeoutMs);
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outgoing.destroy();
      reject(error);
    };
    const outgoing = requester(url, { method, headers: { 'user-agent': 'dockaudit', ...headers }, signal }, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let length = 0;
      response.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (length > ANSWER_BYTES) fail(new Error(`an answer larger than ${ANSWER_BYTES} bytes`));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
      });
      response.on('error', (error) => fail(error));
    });
    outgoing.on('error', (error) => fail(signal.aborted ? new Error(describeError(signal.reason)) : error));
    outgoing.end();
  });
}

/** `Bearer realm="…",service="…",scope="…"` → its scheme and parameters, read in one pass. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const space = header.indexOf(' ');
  const scheme = (space === -1 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  let index = space === -1 ? header.length : space + 1;
  while (index < header.length) {
    while (header[index] === ' ' || header[index] === ',') index += 1;
    const equals = header.indexOf('=', index);
    if (equals === -1) break;
    const key = header.slice(index, equals).trim().toLowerCase();
    index = equals + 1;
    let value = '';
    if (header[index] === '"') {
      index += 1;
      while (index < header.length && header[index] !== '"') {
        if (header[index] === '\\') index += 1;
        value += header[index] ?? '';
        index += 1;
      }
      index += 1;
    } else {
      const end = header.indexOf(',', index);
      value = header.slice(index, end === -1 ? header.length : end).trim();
      index = end === -1 ? header.length : end;
    }
    params[key] = value;
  }
  return { scheme, params };
}

function basic(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/**
 * Whether the basic credentials may go to a token service: only where the registry itself, as
 * reached, could have been sent them. A realm on the registry's own scheme, host and port is
 * always such a place. Another host is one only when both the challenge and the realm travel
 * over https: a challenge read over plain http may have been written by anyone on the path, and
 * a realm over plain http would carry the credentials in the clear.
 */
export function realmMayGetCredentials(registryUrl: string, realm: string): boolean {
  const registry = new URL(registryUrl);
  const service = new URL(realm);
  if (service.protocol === registry.protocol && service.host === registry.host) return true;
  return registry.protocol === 'https:' && service.protocol === 'https:';
}

/** A bearer token from the challenge's realm, with the credentials when there are some and the realm may have them. */
async function bearerToken(params: Record<string, string>, reference: ImageReference, credentials: Credentials | undefined, registryUrl: string, timeoutMs: number, signal: AbortSignal): Promise<{ token: string; withheld: boolean }> {
  const realm = params['realm'];
  if (!realm || !/^https?:\/\//.test(realm)) throw new Error('the registry asks for a token without saying where to get it');
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw new Error('the registry asks for a token at an address that cannot be read');
  }
  // Credentials in the realm's address are never sent on (nor printed).
  url.username = '';
  url.password = '';
  if (params['service']) url.searchParams.set('service', params['service']);
  url.searchParams.set('scope', params['scope'] ?? `repository:${reference.repository}:pull`);
  const withheld = credentials !== undefined && !realmMayGetCredentials(registryUrl, url.toString());
  const answer = await send(url.toString(), 'GET', credentials && !withheld ? { authorization: basic(credentials) } : {}, timeoutMs, signal);
  if (answer.status !== 200) throw new Error(`the token service ${url.host} answered HTTP ${answer.status}`);
  let parsed: { token?: unknown; access_token?: unknown } | undefined;
  try {
    parsed = JSON.parse(answer.body.toString('utf8')) as { token?: unknown; access_token?: unknown };
  } catch {
    // Not repeated: what it sent may be a token, or anything.
    throw new Error(`the token service ${url.host} gave an answer that is not JSON`);
  }
  const token = typeof parsed?.token === 'string' ? parsed.token : typeof parsed?.access_token === 'string' ? parsed.access_token : undefined;
  if (!token) throw new Error(`the token service ${url.host} gave no token`);
  if (!/^[\x21-\x7e]+$/.test(token)) throw new Error(`the token service ${url.host} gave a token that cannot be sent in a header`);
  return { token, withheld };
}

/** The digest a tag names, asked over one scheme. */
async function digestOver(scheme: 'https' | 'http', reference: ImageReference, tag: string, env: NodeJS.ProcessEnv, timeoutMs: number, signal: AbortSignal): Promise<string> {
  let withheld = false;
  const url = `${scheme}://${apiHost(reference.registry)}/v2/${reference.repository}/manifests/${encodeURIComponent(tag)}`;
  let headers: Record<string, string> = { accept: MANIFEST_TYPES };
  let answer = await send(url, 'HEAD', headers, timeoutMs, signal);
  if (answer.status === 401) {
    const challenge = parseChallenge(String(answer.headers['www-authenticate'] ?? ''));
    const credentials = await credentialsFor(reference.registry, env, signal);
    if (challenge.scheme === 'bearer') {
      const bearer = await bearerToken(challenge.params, reference, credentials, url, timeoutMs, signal);
      withheld = bearer.withheld;
      headers = { ...headers, authorization: `Bearer ${bearer.token}` };
      answer = await send(url, 'HEAD', headers, timeoutMs, signal);
    } else if (challenge.scheme === 'basic' && credentials) {
      headers = { ...headers, authorization: basic(credentials) };
      answer = await send(url, 'HEAD', headers, timeoutMs, signal);
    }
    if (answer.status === 401 && withheld) throw new Error(`the registry sends for its token to another host (${new URL(String(challenge.params['realm'])).host}) without https on both sides, so the Docker configuration's credentials were not sent there`);
    if (answer.status === 401) throw new Error(credentials ? 'the registry refused the credentials of the Docker configuration' : 'the registry asks for credentials and the Docker configuration has none for it');
  }
  if (answer.status === 404) throw new Error(`the registry has no tag ${tag} of ${reference.repository}`);
  if (answer.status !== 200) throw new Error(`the registry answered HTTP ${answer.status}`);
  const digest = answer.headers['docker-content-digest'];
  if (typeof digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(digest)) return digest;
  // No digest header: the digest is that of the manifest's bytes.
  const whole = await send(url, 'GET', headers, timeoutMs, signal);
  if (whole.status !== 200) throw new Error(`the registry answered HTTP ${whole.status} for the manifest`);
  return `sha256:${createHash('sha256').update(whole.body).digest('hex')}`;
}

/** Whether the daemon reaches `host` without TLS: loopback, or marked insecure in its configuration. */
function insecureHosts(snapshot: Snapshot): (host: string) => boolean {
  const marked = new Set<string>();
  if (!isUnavailable(snapshot.daemon)) {
    const configs = obj(obj(snapshot.daemon.info, 'RegistryConfig'), 'IndexConfigs');
    for (const [name, value] of Object.entries(configs ?? {})) if (typeof value === 'object' && value !== null && (value as { Secure?: unknown }).Secure === false) marked.add(name.toLowerCase());
  }
  return (registry) => {
    const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    return marked.has(registry) || host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  };
}

/** The tag references of the containers' images: named by repository and tag, not by id or digest. */
export function referencesInUse(snapshot: Snapshot): string[] {
  if (isUnavailable(snapshot.containers)) return [];
  const references = new Set<string>();
  for (const container of snapshot.containers) {
    const reference = str(obj(container.inspect, 'Config'), 'Image');
    const imageId = str(container.inspect, 'Image');
    if (reference === '' || isImageIdReference(reference, imageId) || reference.includes('@')) continue;
    references.add(reference);
  }
  return [...references].sort();
}

async function checkOne(reference: string, insecure: (host: string) => boolean, options: RegistryCheckOptions, signal: AbortSignal): Promise<RegistryTagCheck> {
  const parsed = parseImageReference(reference);
  const tag = parsed.tag ?? 'latest';
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REGISTRY_REQUEST_TIMEOUT_MS;
  try {
    try {
      return { reference, digest: await digestOver('https', parsed, tag, options.env, timeoutMs, signal) };
    } catch (error) {
      if (!insecure(parsed.registry) || signal.aborted) throw error;
      return { reference, digest: await digestOver('http', parsed, tag, options.env, timeoutMs, signal) };
    }
  } catch (error) {
    const reason = signal.aborted ? describeError(signal.reason) : describeError(error);
    return { reference, reason: `${apiHost(parsed.registry)}: ${reason}` };
  }
}

/** Asks the registries of the images in use for the digests their tags name now, four at a time. */
export async function checkRegistryTags(snapshot: Snapshot, options: RegistryCheckOptions): Promise<RegistryFacts> {
  const totalMs = options.totalTimeoutMs ?? DEFAULT_REGISTRY_TOTAL_TIMEOUT_MS;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error(`the registry checks did not finish within ${formatSeconds(totalMs)}`)), totalMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  const insecure = insecureHosts(snapshot);
  const limit = pLimit(4);
  try {
    const tags = await Promise.all(referencesInUse(snapshot).map((reference) => limit(() => checkOne(reference, insecure, options, signal))));
    return { checkedAt: new Date().toISOString(), tags };
  } finally {
    clearTimeout(timer);
  }
}
