import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/DA401.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

describe('DA401 image-user', () => {
  it('fails images without a user or with root as user, by name or uid', () => {
    const findings = runRule(
      rule,
      snap()
        .image({ repoTags: ['debian:12'] })
        .image({ repoTags: ['acme/root:1'], config: { User: 'root' } })
        .image({ repoTags: ['acme/uid0:1'], config: { User: '0:1000' } })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['acme/root:1', 'fail', 'rootUser'],
      ['acme/uid0:1', 'fail', 'rootUser'],
      ['debian:12', 'fail', 'noUser'],
    ]);
    expect(findingFor(findings, 'acme/uid0:1').message).toContain('0:1000');
    expect(findingFor(findings, 'debian:12').subject).toMatchObject({ kind: 'image' });
  });

  it('passes a named or numeric non-root user, and names an untagged image by its short id', () => {
    const findings = runRule(
      rule,
      snap()
        .image({ repoTags: ['acme/app:1'], config: { User: 'app' } })
        .image({ id: 'sha256:' + 'e'.repeat(64), repoTags: [], config: { User: '1000:1000' } })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['acme/app:1', 'pass', 'nonRoot'],
      ['eeeeeeeeeeee', 'pass', 'nonRoot'],
    ]);
    expect(findingFor(findings, 'eeeeeeeeeeee').subject.id).toBe('sha256:' + 'e'.repeat(64));
  });

  it('is skipped when images could not be listed', () => {
    const findings = runRule(rule, snap().daemonUnavailable('daemon down').build());
    expect(summary(findings)).toEqual([['*', 'skipped', '__skipped']]);
  });
});
