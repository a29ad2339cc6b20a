import { describe, expect, it } from 'vitest';
import { snap } from '../helpers/builder.js';
import { localImage } from '../../src/views/local-images.js';

describe('localImage', () => {
  const digest = 'sha256:' + 'e'.repeat(64);
  const snapshot = snap()
    .image({ id: 'sha256:' + '1'.repeat(64), repoTags: ['nginx:1.25'], repoDigests: [`nginx@${digest}`] })
    .image({ id: 'sha256:' + '2'.repeat(64), repoTags: ['example/app:latest'] })
    .build();
  const idOf = (reference: string) => localImage(snapshot, reference)?.['Id'];

  it('resolves Docker Hub spellings, an implied latest, and digests', () => {
    expect(idOf('docker.io/library/nginx:1.25')).toBe('sha256:' + '1'.repeat(64));
    expect(idOf('example/app')).toBe('sha256:' + '2'.repeat(64));
    expect(idOf(`nginx@${digest}`)).toBe('sha256:' + '1'.repeat(64));
  });

  it('falls back to the tag when the digest is not held, and answers undefined for unknown images', () => {
    expect(idOf(`example/app:latest@sha256:${'f'.repeat(64)}`)).toBe('sha256:' + '2'.repeat(64));
    expect(idOf('postgres:16')).toBeUndefined();
    expect(idOf('')).toBeUndefined();
  });
});
