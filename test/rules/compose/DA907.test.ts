import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/compose/DA907.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { composeSnapshot } from './helpers.js';

describe('DA907 compose-build-arg-secret', () => {
  it('fails secret build arguments whatever their source, and secret-shaped literal values', () => {
    const findings = runRule(
      rule,
      composeSnapshot({
        'compose.yaml': [
          'services:',
          '  api:',
          '    build:',
          '      context: .',
          '      args:',
          '        - NPM_TOKEN',
          '        - GH_TOKEN=${GH_TOKEN}',
          '        - DB_PASSWORD=hunter2',
          '        - PRIVATE=-----BEGIN RSA PRIVATE KEY-----',
          '        - NODE_VERSION=20',
          '',
        ].join('\n'),
      }),
    );
    expect(findings.map((finding) => [finding.location?.line, finding.status, finding.messageId, finding.subject.name])).toEqual([
      [6, 'fail', 'secretArgument', 'api'],
      [7, 'fail', 'secretArgument', 'api'],
      [8, 'fail', 'secretArgument', 'api'],
      [9, 'fail', 'secretValue', 'api'],
    ]);
    expect(findings.map((finding) => finding.message)).toEqual([
      'build argument NPM_TOKEN of service api passes a secret to the build (taken from the environment)',
      'build argument GH_TOKEN of service api passes a secret to the build (taken from a variable)',
      'build argument DB_PASSWORD of service api passes a secret to the build (written in the file)',
      'build argument PRIVATE of service api holds a private key written in the file',
    ]);
  });

  it('passes builds without secret arguments and ignores services that are not built', () => {
    const findings = runRule(
      rule,
      composeSnapshot({ 'compose.yaml': 'services:\n  api:\n    build: {context: ., args: {NODE_VERSION: "20"}}\n  db:\n    image: postgres:16.3\n' }),
    );
    expect(summary(findings)).toEqual([['api', 'pass', 'none']]);
    expect(findingFor(findings, 'api').subject.kind).toBe('compose-service');
  });
});
