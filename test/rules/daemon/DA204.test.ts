import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/daemon/DA204.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

describe('DA204 daemon-iptables', () => {
  it('passes the default, where the daemon manages iptables', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ settings: {} }).build()), 'dockerd');
    expect(finding).toMatchObject({ status: 'pass', messageId: 'managed' });
    expect(finding.message).toContain('iptables is true (default)');
  });

  it('fails iptables turned off, as a JSON boolean or as flag text', () => {
    const fromFile = findingFor(runRule(rule, snap().daemon({ settings: { iptables: false } }).build()), 'dockerd');
    expect(fromFile).toMatchObject({ ruleId: 'DA204', status: 'fail', messageId: 'disabled', severity: 'medium' });
    expect(fromFile.message).toContain('daemon.json');
    expect(summary(runRule(rule, snap().daemon({ settings: { iptables: 'false' } }).build()))).toEqual([['dockerd', 'fail', 'disabled']]);
  });

  it('is skipped when the daemon configuration is not visible', () => {
    const findings = runRule(rule, snap().daemon({ configUnavailable: 'the daemon is remote' }).build());
    expect(summary(findings)).toEqual([['dockerd', 'skipped', '__skipped']]);
  });
});
