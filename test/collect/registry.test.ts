import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRegistryTags, parseChallenge, realmMayGetCredentials, referencesInUse } from '../../src/collect/registry/index.js';
import { snap } from '../helpers/builder.js';

const DIGEST = `sha256:${'d'.repeat(64)}`;
let server: Server;
let host: string;
let home: string;
const seen: { url: string; authorization?: string; accept?: string }[] = [];

function handle(request: IncomingMessage, response: ServerResponse): void {
  const url = request.url ?? '';
  seen.push({ url, ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}), ...(request.headers.accept ? { accept: request.headers.accept } : {}) });
  if (url.startsWith('/token')) {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ token: request.headers.authorization === `Basic ${Buffer.from('ci:s3cret').toString('base64')}` ? 'good-token' : 'anonymous-token' }));
    return;
  }
  if (url === '/v2/open/manifests/1') {
    response.setHeader('docker-content-digest', DIGEST);
    response.end();
    return;
  }
  if (url === '/v2/private/manifests/1') {
    if (request.headers.authorization === 'Bearer good-token') {
      response.setHeader('docker-content-digest', DIGEST);
      response.end();
      return;
    }
    response.statusCode = 401;
    response.setHeader('www-authenticate', `Bearer realm="http://${host}/token",service="test-registry",scope="repository:private:pull"`);
    response.end();
    return;
  }
  if (url === '/v2/hanging/manifests/1') return;
  response.statusCode = 404;
  response.end();
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  home = await mkdtemp(join(tmpdir(), 'dockaudit-registry-'));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(home, { recursive: true, force: true });
});

function snapshotUsing(...references: string[]) {
  let builder = snap();
  for (const reference of references) builder = builder.container({ image: reference });
  return builder.container({ image: `sha256:${'a'.repeat(64)}` }).container({ image: `pinned/app@sha256:${'e'.repeat(64)}` }).build();
}

describe('registry checks', () => {
  it('reads challenges, quoted or not', () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' },
    });
    expect(parseChallenge('Basic realm=Registry')).toEqual({ scheme: 'basic', params: { realm: 'Registry' } });
  });

  it('asks only for references by tag', () => {
    expect(referencesInUse(snapshotUsing('a:1', 'a:1', 'b'))).toEqual(['a:1', 'b']);
  });

  it('gets the digest of a tag, with a token from the realm and the Docker config credentials, over http on loopback', async () => {
    await writeFile(join(home, 'config.json'), JSON.stringify({ auths: { [host]: { auth: Buffer.from('ci:s3cret').toString('base64') } } }));
    seen.length = 0;
    const facts = await checkRegistryTags(snapshotUsing(`${host}/open:1`, `${host}/private:1`, `${host}/missing:1`), { env: { DOCKER_CONFIG: home } });
    expect(facts.tags).toEqual([
      { reference: `${host}/missing:1`, reason: `${host}: the registry has no tag 1 of missing` },
      { reference: `${host}/open:1`, digest: DIGEST },
      { reference: `${host}/private:1`, digest: DIGEST },
    ]);
    expect(seen.find((request) => request.url.startsWith('/v2/open'))?.accept).toContain('application/vnd.oci.image.index.v1+json');
    expect(seen.some((request) => request.authorization === 'Bearer good-token')).toBe(true);
    // The credentials go to the token service only, never into the facts.
    expect(JSON.stringify(facts)).not.toContain('s3cret');
  });

  it('says the registry refused when there are no credentials for it', async () => {
    const facts = await checkRegistryTags(snapshotUsing(`${host}/private:1`), { env: { DOCKER_CONFIG: join(home, 'none') } });
    expect(facts.tags[0]?.reason).toBe(`${host}: the registry asks for credentials and the Docker configuration has none for it`);
  });

  it('gives up on a registry that does not answer, at the request deadline', async () => {
    const started = Date.now();
    const facts = await checkRegistryTags(snapshotUsing(`${host}/hanging:1`), { env: {}, requestTimeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(facts.tags[0]?.reason).toMatch(/no answer within 0\.3 s/);
  });

  it('says why an unreachable registry could not be asked', async () => {
    const facts = await checkRegistryTags(snapshotUsing('127.0.0.1:1/app:1'), { env: {}, requestTimeoutMs: 2000 });
    expect(facts.tags[0]?.reason).toMatch(/^127\.0\.0\.1:1: .*ECONNREFUSED/);
  });
});

describe('registry checks against a hostile registry, token service or credential helper', () => {
  const SECRET = 'ci:hunter2-very-secret';
  const basicSecret = `Basic ${Buffer.from(SECRET).toString('base64')}`;
  let registry: Server;
  let elsewhere: Server;
  let registryHost: string;
  let elsewhereHost: string;
  let configDir: string;
  let helperDir: string;
  const toElsewhere: (string | undefined)[] = [];
  const toRegistry: (string | undefined)[] = [];

  beforeAll(async () => {
    elsewhere = createServer((request, response) => {
      toElsewhere.push(request.headers.authorization);
      response.setHeader('content-type', 'application/json');
      if ((request.url ?? '').startsWith('/not-json')) response.end('token-in-the-clear-abc123 \u001b]0;owned\u0007');
      else response.end(JSON.stringify({ token: 'elsewhere-token' }));
    });
    registry = createServer((request, response) => {
      toRegistry.push(request.headers.authorization);
      const url = request.url ?? '';
      if (url.startsWith('/v2/redirect/') && request.headers.authorization !== undefined) {
        response.writeHead(307, { location: `http://${elsewhereHost}/v2/redirect/manifests/1` });
        response.end();
        return;
      }
      if (request.headers.authorization === 'Bearer elsewhere-token' || request.headers.authorization === basicSecret) {
        response.setHeader('docker-content-digest', DIGEST);
        response.end();
        return;
      }
      response.statusCode = 401;
      if (url.startsWith('/v2/not-json/')) response.setHeader('www-authenticate', `Bearer realm="http://${elsewhereHost}/not-json",service="x"`);
      else if (url.startsWith('/v2/basic/') || url.startsWith('/v2/redirect/')) response.setHeader('www-authenticate', 'Basic realm="r"');
      else response.setHeader('www-authenticate', `Bearer realm="http://${elsewhereHost}/token",service="x"`);
      response.end();
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    registryHost = `127.0.0.1:${(registry.address() as AddressInfo).port}`;
    elsewhereHost = `127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
    configDir = await mkdtemp(join(tmpdir(), 'dockaudit-registry-hostile-'));
    helperDir = await mkdtemp(join(tmpdir(), 'dockaudit-helpers-'));
    // A helper that ignores SIGTERM and never answers; one that prints without end; one that prints garbage.
    await writeFile(join(helperDir, 'docker-credential-hang'), "#!/bin/sh\ntrap '' TERM\nwhile :; do sleep 1; done\n", { mode: 0o755 });
    await writeFile(join(helperDir, 'docker-credential-flood'), '#!/bin/sh\nexec yes AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n', { mode: 0o755 });
    await writeFile(join(helperDir, 'docker-credential-garbage'), "#!/bin/sh\nprintf 'leaked-helper-output \\033[2J'\n", { mode: 0o755 });
    process.env['PATH'] = `${helperDir}:${process.env['PATH'] ?? ''}`;
  });
  afterAll(async () => {
    for (const server of [registry, elsewhere]) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await rm(configDir, { recursive: true, force: true });
    await rm(helperDir, { recursive: true, force: true });
  });

  async function configure(config: unknown): Promise<NodeJS.ProcessEnv> {
    await writeFile(join(configDir, 'config.json'), JSON.stringify(config));
    return { DOCKER_CONFIG: configDir };
  }

  it('never sends the credentials to a token service on another host when the challenge came over plain http', async () => {
    const env = await configure({ auths: { [registryHost]: { auth: Buffer.from(SECRET).toString('base64') } } });
    toElsewhere.length = 0;
    const facts = await checkRegistryTags(snapshotUsing(`${registryHost}/app:1`), { env });
    expect(toElsewhere.length).toBeGreaterThan(0);
    expect(toElsewhere).not.toContain(basicSecret);
    // An anonymous token was enough here; the credentials stayed home.
    expect(facts.tags[0]).toEqual({ reference: `${registryHost}/app:1`, digest: DIGEST });
  });

  it('follows no redirect, so the Authorization header never reaches another host', async () => {
    const env = await configure({ auths: { [registryHost]: { auth: Buffer.from(SECRET).toString('base64') } } });
    toElsewhere.length = 0;
    const facts = await checkRegistryTags(snapshotUsing(`${registryHost}/redirect:1`), { env });
    expect(facts.tags[0]?.reason).toBe(`${registryHost}: the registry answered HTTP 307`);
    expect(toElsewhere).toEqual([]);
  });

  it('lets https challenges send the credentials to an https realm, and keeps them from an http one', () => {
    expect(realmMayGetCredentials('https://registry-1.docker.io/v2/x/manifests/1', 'https://auth.docker.io/token')).toBe(true);
    expect(realmMayGetCredentials('https://registry.example/v2/x/manifests/1', 'http://registry.example/token')).toBe(false);
    expect(realmMayGetCredentials('https://registry.example/v2/x/manifests/1', 'http://auth.example/token')).toBe(false);
    expect(realmMayGetCredentials('http://127.0.0.1:5000/v2/x/manifests/1', 'http://127.0.0.1:5000/token')).toBe(true);
    expect(realmMayGetCredentials('http://127.0.0.1:5000/v2/x/manifests/1', 'https://evil.example/token')).toBe(false);
    expect(realmMayGetCredentials('http://127.0.0.1:5000/v2/x/manifests/1', 'http://127.0.0.1:5001/token')).toBe(false);
  });

  it('does not repeat what a token service sent when it is not JSON', async () => {
    const env = await configure({});
    const facts = await checkRegistryTags(snapshotUsing(`${registryHost}/not-json:1`), { env });
    expect(facts.tags[0]?.reason).toBe(`${registryHost}: the token service ${elsewhereHost} gave an answer that is not JSON`);
    expect(JSON.stringify(facts)).not.toContain('token-in-the-clear');
  });

  it('stops a credential helper that ignores SIGTERM at the deadline of the whole check', async () => {
    const env = await configure({ credsStore: 'hang' });
    const started = Date.now();
    const facts = await checkRegistryTags(snapshotUsing(`${registryHost}/basic:1`), { env, totalTimeoutMs: 800 });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(facts.tags[0]?.digest).toBeUndefined();
    expect(facts.tags[0]?.reason).toMatch(/did not finish within|credential helper/);
  }, 8000);

  it('stops a credential helper that prints without end, and says so', async () => {
    const env = await configure({ credsStore: 'flood' });
    const facts = await checkRegistryTags(snapshotUsing(`${registryHost}/basic:1`), { env });
    expect(facts.tags[0]?.reason).toBe(`${registryHost}: the credential helper docker-credential-flood printed more than 65536 bytes`);
  }, 8000);

  it('says a credential helper gave garbage, without repeating it', async () => {
    const env = await configure({ credsStore: 'garbage' });
    const facts = await checkRegistryTags(snapshotUsing(`${registryHost}/basic:1`), { env });
    expect(facts.tags[0]?.reason).toBe(`${registryHost}: the credential helper docker-credential-garbage gave an answer that is not its JSON credentials`);
    expect(JSON.stringify(facts)).not.toContain('leaked-helper-output');
  });
});
