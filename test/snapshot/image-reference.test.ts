import { describe, expect, it } from 'vitest';
import { isImageIdReference, isImageNamed, parseImageReference } from '../../src/parsers/image-reference.js';

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

describe('isImageNamed', () => {
  it('matches a repository path at its end, or the last component alone', () => {
    const named = (image: string, pattern: string) => isImageNamed(parseImageReference(image), pattern);
    expect(named('grafana/loki:3.0', 'grafana/loki')).toBe(true);
    expect(named('registry.example.com/mirror/Grafana/Loki:3.0', 'grafana/loki')).toBe(true);
    expect(named('notgrafana/loki:3.0', 'grafana/loki')).toBe(false);
    expect(named('postgres:16', 'postgres')).toBe(true);
    expect(named('bitnami/PostgreSQL:16', 'postgresql')).toBe(true);
    expect(named('postgres-exporter:1', 'postgres')).toBe(false);
  });
});
