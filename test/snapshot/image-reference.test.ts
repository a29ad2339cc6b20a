import { describe, expect, it } from 'vitest';
import { isImageIdReference, parseImageReference } from '../../src/snapshot/image-reference.js';

describe('parseImageReference', () => {
  it('resolves Docker Hub names', () => {
    expect(parseImageReference('postgres')).toEqual({ registry: 'docker.io', repository: 'library/postgres', name: 'postgres' });
    expect(parseImageReference('bitnami/redis:7.2')).toEqual({ registry: 'docker.io', repository: 'bitnami/redis', name: 'redis', tag: '7.2' });
    expect(parseImageReference('index.docker.io/library/nginx:1.25').registry).toBe('docker.io');
  });

  it('reads registries with ports, tags and digests', () => {
    expect(parseImageReference('registry.local:5000/team/app:2@sha256:abc')).toEqual({
      registry: 'registry.local:5000',
      repository: 'team/app',
      name: 'app',
      tag: '2',
      digest: 'sha256:abc',
    });
    expect(parseImageReference('localhost/app')).toMatchObject({ registry: 'localhost', repository: 'app' });
    expect(parseImageReference('mcr.microsoft.com/mssql/server:2022-latest')).toMatchObject({ repository: 'mssql/server', name: 'server' });
  });

  it('tells image ids from repository names', () => {
    const id = 'sha256:' + 'ab'.repeat(32);
    expect(isImageIdReference(id)).toBe(true);
    expect(isImageIdReference('abababababab', id)).toBe(true);
    expect(isImageIdReference('abababababab')).toBe(false);
    expect(isImageIdReference('nginx', id)).toBe(false);
  });
});
