import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/compose/DA909.js';
import { runRule, summary } from '../../helpers/rule-tester.js';
import { composeSnapshot } from './helpers.js';

describe('DA909 compose-build-context-pinned', () => {
  it('warns on Git branches, remote archives and image contexts without a digest', () => {
    const findings = runRule(
      rule,
      composeSnapshot({
        'compose.yaml': [
          'services:',
          '  a:',
          '    build: https://github.com/org/repo.git#main:docker',
          '  b:',
          '    build:',
          '      context: https://example.com/context.tar.gz',
          '      additional_contexts:',
          '        base: docker-image://alpine:3.20',
          '        tools: git@github.com:org/tools.git',
          '',
        ].join('\n'),
      }),
    );
    expect(findings.map((finding) => [finding.subject.name, finding.location?.line, finding.status, finding.messageId])).toEqual([
      ['a', 3, 'warn', 'gitUnpinned'],
      ['b', 6, 'warn', 'remoteArchive'],
      ['b', 8, 'warn', 'imageUnpinned'],
      ['b', 9, 'warn', 'gitUnpinned'],
    ]);
    expect(findings[0]?.message).toBe('service a builds from Git https://github.com/org/repo.git at main, not at a commit id');
    expect(findings[3]?.message).toContain('at its default branch');
  });

  it('passes local contexts and contexts pinned to a commit or digest', () => {
    const findings = runRule(
      rule,
      composeSnapshot({
        'compose.yaml': [
          'services:',
          '  a:',
          '    build: ./a',
          '  b:',
          '    build:',
          '      context: https://github.com/org/repo.git#0123456789abcdef0123456789abcdef01234567',
          '      additional_contexts: ["base=docker-image://alpine:3.20@sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"]',
          '',
        ].join('\n'),
      }),
    );
    expect(summary(findings)).toEqual([
      ['a', 'pass', 'pinned'],
      ['b', 'pass', 'pinned'],
    ]);
  });
});

describe('DA909 keeps credentials in build contexts out of its messages', () => {
  it('redacts the password of a Git context URL', () => {
    const secret = 'Hunter2-git-token';
    const findings = runRule(
      rule,
      composeSnapshot({ 'compose.yaml': ['services:', '  a:', `    build: https://ci:${secret}@git.example.com/org/repo.git#main`, ''].join('\n') }),
    );
    expect(findings).toMatchObject([{ subject: { name: 'a' }, status: 'warn', messageId: 'gitUnpinned', location: { line: 3 } }]);
    expect(findings[0]?.message).toContain('https://ci:***@git.example.com/org/repo.git');
    expect(findings[0]?.message).not.toContain(secret);
  });
});
