import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA805.js';
import { DIGEST, lint, problems } from './support/snapshot.js';

describe('DA805 dockerfile-image-pinned', () => {
  it('passes digests, scratch, earlier stages and stage indexes', () => {
    const findings = lint(rule, `FROM node:20@${DIGEST} AS build\nFROM gcr.io/distroless/static@${DIGEST}\nCOPY --from=build /a /a\nCOPY --from=0 /b /b\nFROM scratch\n`);
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'pinned' }]);
  });

  it('fails untagged and latest images, warns about a tag without a digest', () => {
    const findings = lint(rule, 'FROM node AS a\nFROM node:latest AS b\nFROM docker.io/library/node:20.15-alpine\n');
    expect(problems(findings)).toEqual([
      [1, 'fail', 'untagged'],
      [2, 'fail', 'latest'],
      [3, 'warn', 'tagOnly'],
    ]);
    expect(findings[2]?.message).toBe('FROM docker.io/library/node:20.15-alpine is pinned to tag 20.15-alpine but not to a digest: the tag can be moved');
  });

  it('substitutes global ARG defaults in FROM and asks a person when there is none', () => {
    const findings = lint(rule, 'ARG VERSION=latest\nARG BASE\nFROM node:${VERSION} AS a\nFROM ${BASE}\n');
    expect(problems(findings)).toEqual([
      [3, 'fail', 'latest'],
      [4, 'manual', 'unresolved'],
    ]);
    expect(findings[1]?.message).toContain('(BASE)');
  });

  it('checks images pulled by COPY --from and RUN --mount=from, and a misspelt stage name', () => {
    const findings = lint(rule, `FROM alpine@${DIGEST} AS builder\nFROM alpine@${DIGEST}\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\nRUN --mount=type=bind,from=busybox,target=/bb true\nCOPY --from=bulider /out /out\n`);
    // The engine orders findings worst first: failures before warnings.
    expect(problems(findings)).toEqual([
      [4, 'fail', 'untagged'],
      [5, 'fail', 'untagged'],
      [3, 'warn', 'tagOnly'],
    ]);
    expect(findings[2]?.message).toContain('COPY --from nginx:1.27');
    expect(findings[1]?.message).toContain('bulider');
  });
});
