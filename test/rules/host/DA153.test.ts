import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/host/DA153.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

describe('DA153 host-pid-limits', () => {
  it('shows both kernel limits', () => {
    const snapshot = snap().host({ sysctl: { 'kernel.pid_max': '4194304', 'kernel.threads-max': '126429' } }).build();
    const finding = findingFor(runRule(rule, snapshot), 'testhost');
    expect(finding).toMatchObject({ ruleId: 'DA153', status: 'info', messageId: 'limits', subject: { kind: 'host', name: 'testhost' } });
    expect(finding.message).toBe('kernel.pid_max=4194304, kernel.threads-max=126429: containers share this pool unless each has a PIDs limit');
  });

  it('says which limit was not read', () => {
    const finding = findingFor(runRule(rule, snap().host({ sysctl: { 'kernel.pid_max': '32768' } }).build()), 'testhost');
    expect(finding.message).toContain('kernel.threads-max=not read');
  });

  it('is skipped when neither limit was read', () => {
    expect(summary(runRule(rule, snap().host({ sysctl: {} }).build()))).toEqual([['testhost', 'skipped', 'notSeen']]);
  });
});
