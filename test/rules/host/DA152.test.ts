import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/host/DA152.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';

describe('DA152 host-package-upgrades', () => {
  it('passes when the package manager lists nothing to upgrade', () => {
    const finding = findingFor(runRule(rule, snap().host({ packageUpdates: { manager: 'apt', pending: [] } }).build()), 'testhost');
    expect(finding).toMatchObject({ ruleId: 'DA152', status: 'pass', messageId: 'upToDate' });
    expect(finding.message).toBe("apt's local package metadata lists no pending upgrade");
  });

  it('fails pending upgrades, naming them and counting the rest', () => {
    const few = findingFor(runRule(rule, snap().host({ packageUpdates: { manager: 'dnf', pending: ['runc', 'containerd.io'] } }).build()), 'testhost');
    expect(few).toMatchObject({ status: 'fail', messageId: 'pending', severity: 'medium' });
    expect(few.message).toBe("2 package upgrades are pending according to dnf's local metadata: runc, containerd.io");
    const many = Array.from({ length: 20 }, (_, index) => `pkg${index + 1}`);
    const long = findingFor(runRule(rule, snap().host({ packageUpdates: { manager: 'apt', pending: many } }).build()), 'testhost');
    expect(long.message).toContain('pkg15 and 5 more');
    expect(long.message).not.toContain('pkg16');
  });

  it('is skipped with the reason when the package metadata could not be read', () => {
    const snapshot = snap().host({ packageUpdates: { unavailable: true, reason: 'no supported package manager found' } }).build();
    const finding = findingFor(runRule(rule, snapshot), 'testhost');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notSeen' });
    expect(finding.message).toContain('no supported package manager found');
  });
});
