import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/DA402.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

describe('DA402 image-healthcheck', () => {
  it('fails an image without a healthcheck and one that disables it', () => {
    const findings = runRule(
      rule,
      snap()
        .image({ repoTags: ['acme/none:1'] })
        .image({ repoTags: ['acme/off:1'], config: { Healthcheck: { Test: ['NONE'] } } })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['acme/none:1', 'fail', 'missing'],
      ['acme/off:1', 'fail', 'disabled'],
    ]);
  });

  it('passes a shell-form and an exec-form healthcheck, showing the command', () => {
    const findings = runRule(
      rule,
      snap()
        .image({ repoTags: ['acme/shell:1'], config: { Healthcheck: { Test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'] } } })
        .image({ repoTags: ['acme/exec:1'], config: { Healthcheck: { Test: ['CMD', '/bin/check', '--quick'] } } })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['acme/exec:1', 'pass', 'defined'],
      ['acme/shell:1', 'pass', 'defined'],
    ]);
    expect(findingFor(findings, 'acme/shell:1').message).toBe('HEALTHCHECK CMD curl -f http://localhost/ || exit 1');
    expect(findingFor(findings, 'acme/exec:1').message).toBe('HEALTHCHECK CMD /bin/check --quick');
  });
});

describe('DA402 keeps secrets in healthchecks out of its messages', () => {
  it('redacts a password in the image HEALTHCHECK', () => {
    const secret = 'Hunter2-image-pass';
    const findings = runRule(
      rule,
      snap().image({ repoTags: ['acme/db:1'], config: { Healthcheck: { Test: ['CMD-SHELL', `mysqladmin ping -uroot --password=${secret}`] } } }).build(),
    );
    expect(findings).toMatchObject([{ ruleId: 'DA402', status: 'pass', messageId: 'defined' }]);
    expect(findings[0]?.message).toContain('--password=***');
    expect(findings[0]?.message).not.toContain(secret);
  });
});
