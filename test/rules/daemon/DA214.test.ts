import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/daemon/DA214.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

describe('DA214 daemon-no-new-privileges', () => {
  it('passes the setting from daemon.json or the command line', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ settings: { 'no-new-privileges': true } }).build()), 'dockerd');
    expect(finding).toMatchObject({ status: 'pass', messageId: 'enabled' });
    expect(finding.message).toContain('daemon.json');
    expect(summary(runRule(rule, snap().daemon({ settings: { 'no-new-privileges': 'true' } }).build()))).toEqual([['dockerd', 'pass', 'enabled']]);
  });

  it('passes a daemon that reports it in info, even when its configuration is not visible', () => {
    const snapshot = snap().daemon({ info: { SecurityOptions: ['name=no-new-privileges'] }, configUnavailable: 'remote' }).build();
    expect(summary(runRule(rule, snapshot))).toEqual([['dockerd', 'pass', 'reported']]);
  });

  it('fails the default and an explicit false', () => {
    const defaulted = findingFor(runRule(rule, snap().daemon({ settings: {} }).build()), 'dockerd');
    expect(defaulted).toMatchObject({ ruleId: 'DA214', status: 'fail', messageId: 'disabled', severity: 'medium' });
    expect(defaulted.message).toContain('no-new-privileges is false (default)');
    expect(summary(runRule(rule, snap().daemon({ settings: { 'no-new-privileges': false } }).build()))).toEqual([['dockerd', 'fail', 'disabled']]);
  });

  it('is skipped with the reason when neither info nor the configuration tell', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ configUnavailable: 'the daemon is remote' }).build()), 'dockerd');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notSeen' });
    expect(finding.message).toContain('the daemon is remote');
  });
});
