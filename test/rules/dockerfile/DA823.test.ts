import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA823.js';
import { lint, problems } from './support/snapshot.js';

describe('DA823 dockerfile-copy-image-root', () => {
  it('fails another image copied whole over a stage with a base', () => {
    const findings = lint(
      rule,
      [
        'FROM node:20-bookworm-slim AS builder',
        'RUN npm ci',
        'FROM builder AS dev-envs',
        '# install Docker tools (cli, buildx, compose)',
        'COPY --from=gloursdocker/docker / /',
        'FROM python:3.12-slim',
        'COPY --link --from=ghcr.io/example/tools:1.2 /. /',
        '',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([
      [5, 'fail', 'imageOverlay'],
      [7, 'fail', 'imageOverlay'],
    ]);
    expect(findings[0]?.message).toBe('COPY --from=gloursdocker/docker / / copies the whole filesystem of that image over a stage built FROM stage builder');
    expect(findings[1]?.message).toContain('built FROM python:3.12-slim');
  });

  it('passes a copy from a build stage, into an empty stage, of some files, or into a subdirectory', () => {
    const findings = lint(
      rule,
      [
        'FROM golang:1.22 AS build',
        'RUN go build -o /out/app .',
        'FROM debian:12-slim AS squashed',
        'COPY --from=build / /',
        'FROM scratch',
        'COPY --from=alpine:3.20 / /',
        'FROM debian:12-slim',
        'COPY --from=docker:27-cli /usr/local/bin/docker /usr/local/bin/docker',
        'COPY --from=busybox:1.36 / /opt/busybox-root',
        '',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([]);
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'noImageOverlay' }]);
  });
});
