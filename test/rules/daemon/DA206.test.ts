import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/daemon/DA206.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

describe('DA206 daemon-no-aufs', () => {
  it('passes overlay2 and names it', () => {
    const finding = findingFor(runRule(rule, snap().build()), 'dockerd');
    expect(finding).toMatchObject({ status: 'pass', messageId: 'other' });
    expect(finding.message).toContain('overlay2');
  });

  it('fails aufs', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ info: { Driver: 'aufs' } }).build()), 'dockerd');
    expect(finding).toMatchObject({ ruleId: 'DA206', status: 'fail', messageId: 'aufs', severity: 'medium' });
  });

  it('is skipped when info does not name the driver', () => {
    expect(summary(runRule(rule, snap().daemon({ info: { Driver: '' } }).build()))).toEqual([['dockerd', 'skipped', 'notReported']]);
  });
});
