import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRegistryTags, parseChallenge, referencesInUse } from '../../src/collect/registry/index.js';
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
