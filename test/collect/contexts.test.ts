import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveEndpoint } from '../../src/collect/endpoint.js';
import { contextId, currentContextName, resolveContext } from '../../src/collect/contexts.js';
import { parseSshAddress, sshArguments } from '../../src/collect/dial-stdio.js';
import { UsageError } from '../../src/errors.js';

/** A docker CLI configuration directory holding the given contexts, as `docker context create` writes them. */
function dockerConfig(contexts: { name: string; host: string; skipVerify?: boolean; tls?: string[] }[], current?: string): string {
  const root = mkdtempSync(join(tmpdir(), 'dockaudit-contexts-'));
  for (const context of contexts) {
    const id = contextId(context.name);
    mkdirSync(join(root, 'contexts', 'meta', id), { recursive: true });
    const meta = { Name: context.name, Metadata: { Description: '' }, Endpoints: { docker: { Host: context.host, SkipTLSVerify: context.skipVerify ?? false } } };
    writeFileSync(join(root, 'contexts', 'meta', id, 'meta.json'), JSON.stringify(meta));
    if (context.tls) {
      mkdirSync(join(root, 'contexts', 'tls', id, 'docker'), { recursive: true });
      for (const file of context.tls) writeFileSync(join(root, 'contexts', 'tls', id, 'docker', file), `${file} of ${context.name}`);
    }
  }
  if (current !== undefined) writeFileSync(join(root, 'config.json'), JSON.stringify({ auths: {}, currentContext: current }));
  return root;
}

describe('Docker CLI contexts', () => {
  it('names a context directory by the SHA-256 of its name, as the docker CLI does', () => {
    expect(contextId('default')).toBe('37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f');
  });

  it('reads the address of a context and keeps the shell TLS variables out of it', () => {
    const root = dockerConfig([{ name: 'plain', host: 'unix:///run/other.sock' }]);
    const context = resolveContext('plain', { DOCKER_CONFIG: root, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/elsewhere' });
    expect(context.host).toBe('unix:///run/other.sock');
    expect(context.env).toMatchObject({ DOCKER_HOST: 'unix:///run/other.sock' });
    expect(context.env['DOCKER_TLS_VERIFY']).toBeUndefined();
    expect(context.env['DOCKER_CERT_PATH']).toBeUndefined();
  });

  it('uses the TLS material of a context, checked unless SkipTLSVerify', () => {
    const root = dockerConfig([
      { name: 'secure', host: 'tcp://10.1.2.3:2376', tls: ['ca.pem', 'cert.pem', 'key.pem'] },
      { name: 'lax', host: 'tcp://10.1.2.4:2376', skipVerify: true, tls: ['cert.pem', 'key.pem'] },
    ]);
    const secure = resolveContext('secure', { DOCKER_CONFIG: root });
    const endpoint = resolveEndpoint(undefined, secure.env);
    expect(endpoint.options).toMatchObject({ host: '10.1.2.3', protocol: 'https' });
    expect(endpoint.options.ca?.toString()).toBe('ca.pem of secure');
    expect(endpoint.options.rejectUnauthorized).toBeUndefined();
    const lax = resolveEndpoint(undefined, resolveContext('lax', { DOCKER_CONFIG: root }).env);
    expect(lax.options).toMatchObject({ protocol: 'https', rejectUnauthorized: false });
    expect(lax.options.cert?.toString()).toBe('cert.pem of lax');
    expect(lax.options.ca).toBeUndefined();
  });

  it('refuses an unknown context, and one without a Docker endpoint, as usage errors', () => {
    const root = dockerConfig([{ name: 'empty', host: '' }]);
    expect(() => resolveContext('missing', { DOCKER_CONFIG: root })).toThrow(/context "missing" not found/);
    expect(() => resolveContext('empty', { DOCKER_CONFIG: root })).toThrow(UsageError);
  });

  it('takes default as DOCKER_HOST, else the local socket', () => {
    expect(resolveContext('default', {}).host).toBe('unix:///var/run/docker.sock');
    expect(resolveContext('default', { DOCKER_HOST: 'tcp://h:2375' }).host).toBe('tcp://h:2375');
  });

  it('finds the current context as the docker CLI does: DOCKER_HOST, then DOCKER_CONTEXT, then config.json', () => {
    const root = dockerConfig([{ name: 'used', host: 'unix:///x.sock' }], 'used');
    expect(currentContextName({ DOCKER_CONFIG: root })).toBe('used');
    expect(currentContextName({ DOCKER_CONFIG: root, DOCKER_CONTEXT: 'other' })).toBe('other');
    expect(currentContextName({ DOCKER_CONFIG: root, DOCKER_CONTEXT: 'other', DOCKER_HOST: 'unix:///y.sock' })).toBeUndefined();
    expect(currentContextName({ DOCKER_CONFIG: dockerConfig([]) })).toBeUndefined();
    // DOCKER_CONFIG unset: ~/.docker.
    expect(currentContextName({ HOME: join(root, 'nowhere') })).toBeUndefined();
  });
});

describe('ssh:// addresses', () => {
  it('runs docker system dial-stdio through ssh with the user and port of the address', () => {
    expect(sshArguments(parseSshAddress('ssh://ops@build-1:2222'))).toEqual([
      '-o', 'ConnectTimeout=30', '-o', 'BatchMode=yes', '-T', '-l', 'ops', '-p', '2222', '--', 'build-1', 'docker', 'system', 'dial-stdio',
    ]);
    expect(sshArguments(parseSshAddress('ssh://build-2'))).toEqual(['-o', 'ConnectTimeout=30', '-o', 'BatchMode=yes', '-T', '--', 'build-2', 'docker', 'system', 'dial-stdio']);
  });

  it('refuses a password, a path or no host', () => {
    expect(() => parseSshAddress('ssh://ops:secret@h')).toThrow(/password/);
    expect(() => parseSshAddress('ssh://h/var/run/docker.sock')).toThrow(/no path/);
    expect(() => resolveEndpoint('ssh://', {})).toThrow(UsageError);
  });

  it('reaches the daemon through a connection factory, not a socket path', () => {
    const endpoint = resolveEndpoint('ssh://ops@h', {});
    expect(endpoint.socketPath).toBeUndefined();
    expect(typeof endpoint.options.connect).toBe('function');
  });
});
