import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/compose/DA910.js';
import { runRule, summary } from '../../helpers/rule-tester.js';
import { composeSnapshot } from './helpers.js';

describe('DA910 compose-legacy-format', () => {
  it('warns once per version 1 file, at its first service', () => {
    const findings = runRule(
      rule,
      composeSnapshot({
        'old/docker-compose.yml': ['# comment', 'web:', '  image: nginx:1.25', 'db:', '  build: ./db', ''].join('\n'),
      }),
    );
    expect(summary(findings)).toEqual([['old/docker-compose.yml', 'warn', 'version1']]);
    expect(findings[0]?.location).toEqual({ file: 'old/docker-compose.yml', line: 2, column: 1 });
    expect(findings[0]?.message).toContain('2 services at the top level');
  });

  it('passes current files, including version 2 ones and files with only extension fields', () => {
    const findings = runRule(
      rule,
      composeSnapshot({
        'a/compose.yaml': ['services:', '  web: {image: "nginx:1.25"}', ''].join('\n'),
        'b/docker-compose.yml': ['version: "2"', 'services:', '  web: {image: "nginx:1.25", net: host}', ''].join('\n'),
        // Top-level mappings without image or build, or a current top-level key: not version 1.
        'c/compose.yaml': ['x-common: {restart: always}', 'settings: {mem_limit: 1g}', ''].join('\n'),
        'd/compose.yaml': ['web: {image: "nginx:1.25"}', 'volumes: {data: {}}', ''].join('\n'),
        'e/compose.yaml': ['web: {image: "nginx:1.25"}', 'note: plain text', ''].join('\n'),
      }),
    );
    expect(summary(findings)).toEqual([
      ['a/compose.yaml', 'pass', 'current'],
      ['b/docker-compose.yml', 'pass', 'current'],
      ['c/compose.yaml', 'pass', 'current'],
      ['d/compose.yaml', 'pass', 'current'],
      ['e/compose.yaml', 'pass', 'current'],
    ]);
  });
});
