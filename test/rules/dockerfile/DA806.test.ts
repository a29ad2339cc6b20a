import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA806.js';
import { DIGEST, lint, problems } from './support/snapshot.js';

const DOCKERFILE = `FROM node:20@${DIGEST} AS build\nFROM ghcr.io/acme/base:1@${DIGEST}\nCOPY --from=quay.io/prometheus/busybox:latest /bin/sh /sh\nFROM registry.example.com:5000/team/app:2\n`;

describe('DA806 dockerfile-registry-allowed', () => {
  it('is skipped, not passed, without an allow-list', () => {
    expect(lint(rule, DOCKERFILE)).toMatchObject([{ status: 'skipped', messageId: 'noAllowList', subject: { name: 'Dockerfile' } }]);
  });

  it('passes images from allowed hosts and host/path prefixes (Docker Hub by any of its names)', () => {
    const findings = lint(rule, DOCKERFILE, { allowedRegistries: ['index.docker.io', 'ghcr.io/acme', 'quay.io', 'registry.example.com:5000'] });
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'allowed' }]);
  });

  it('fails each image from another registry or namespace at its instruction', () => {
    const findings = lint(rule, DOCKERFILE, { allowedRegistries: ['docker.io', 'ghcr.io/other'] });
    expect(problems(findings)).toEqual([
      [2, 'fail', 'notAllowed'],
      [3, 'fail', 'notAllowed'],
      [4, 'fail', 'notAllowed'],
    ]);
    expect(findings[2]?.message).toBe('FROM registry.example.com:5000/team/app:2 comes from registry.example.com:5000, which is not in the allowed registries (docker.io, ghcr.io/other)');
  });

  it('asks a person when the registry comes from a build argument without a default', () => {
    expect(problems(lint(rule, 'ARG REGISTRY\nFROM ${REGISTRY}/app:1\n', { allowedRegistries: ['docker.io'] }))).toEqual([[2, 'manual', 'unresolved']]);
  });

  it('rejects options of the wrong shape', () => {
    expect(() => lint(rule, DOCKERFILE, { allowedRegistries: 'docker.io' })).toThrow(/DA806/);
  });
});
