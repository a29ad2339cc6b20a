import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/compose/DA908.js';
import { runRule, summary } from '../../helpers/rule-tester.js';
import { composeSnapshot } from './helpers.js';

describe('DA908 compose-build-privileges', () => {
  it('fails privileged builds and the insecure entitlement, warns on the host network', () => {
    const findings = runRule(
      rule,
      composeSnapshot({
        'compose.yaml': [
          'services:',
          '  api:',
          '    build:',
          '      context: .',
          '      privileged: true',
          '      network: host',
          '      entitlements: [network.host, security.insecure]',
          '',
        ].join('\n'),
      }),
    );
    expect(findings.map((finding) => [finding.location?.line, finding.status, finding.messageId, finding.severity])).toEqual([
      [5, 'fail', 'privileged', 'high'],
      [7, 'fail', 'insecureEntitlement', 'high'],
      [7, 'warn', 'hostNetwork', 'medium'],
      [6, 'warn', 'hostNetwork', 'medium'],
    ]);
    expect(findings[3]?.message).toBe('service api builds on the host network (build.network: host)');
  });

  it('passes an ordinary build and reports nothing for services that are not built', () => {
    const findings = runRule(rule, composeSnapshot({ 'compose.yaml': 'services:\n  api:\n    build: .\n  db:\n    image: postgres:16.3\n' }));
    expect(summary(findings)).toEqual([['api', 'pass', 'confined']]);
  });
});
