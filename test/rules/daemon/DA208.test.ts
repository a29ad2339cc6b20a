import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/daemon/DA208.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

describe('DA208 daemon-default-ulimits', () => {
  it('passes configured default ulimits and lists them', () => {
    const settings = {
      'default-ulimits': { nproc: { Name: 'nproc', Soft: 1024, Hard: 2048 }, nofile: { Name: 'nofile', Soft: 64000, Hard: 64000 } },
    };
    const finding = findingFor(runRule(rule, snap().daemon({ settings }).build()), 'dockerd');
    expect(finding).toMatchObject({ ruleId: 'DA208', status: 'pass', messageId: 'configured' });
    expect(finding.message).toBe('default ulimits set (daemon.json): nofile=64000:64000, nproc=1024:2048');
  });

  it('warns when no default ulimit is set, or the setting is empty', () => {
    expect(summary(runRule(rule, snap().daemon({ settings: {} }).build()))).toEqual([['dockerd', 'warn', 'notConfigured']]);
    expect(summary(runRule(rule, snap().daemon({ settings: { 'default-ulimits': {} } }).build()))).toEqual([['dockerd', 'warn', 'notConfigured']]);
  });

  it('is skipped when the daemon configuration is not visible', () => {
    expect(summary(runRule(rule, snap().daemon({ configUnavailable: 'the daemon is remote' }).build()))).toEqual([['dockerd', 'skipped', '__skipped']]);
  });
});
