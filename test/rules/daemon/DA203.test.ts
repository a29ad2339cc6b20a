import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/daemon/DA203.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

describe('DA203 daemon-log-level', () => {
  it('passes the default level and an explicit info', () => {
    expect(summary(runRule(rule, snap().daemon({ settings: {} }).build()))).toEqual([['dockerd', 'pass', 'info']]);
    const explicit = findingFor(runRule(rule, snap().daemon({ settings: { 'log-level': 'info' } }).build()), 'dockerd');
    expect(explicit).toMatchObject({ status: 'pass', messageId: 'info' });
    expect(explicit.message).toContain('daemon.json');
  });

  it('fails another level and names it with its origin', () => {
    const snapshot = snap()
      .daemon({ settings: { 'log-level': 'warn' } })
      .with((s) => {
        if (!('unavailable' in s.daemon) && !('unavailable' in s.daemon.config)) s.daemon.config.origin['log-level'] = 'flag';
      })
      .build();
    const finding = findingFor(runRule(rule, snapshot), 'dockerd');
    expect(finding).toMatchObject({ ruleId: 'DA203', status: 'fail', messageId: 'other' });
    expect(finding.message).toBe('log level is warn (command line), not info');
  });

  it('fails debug mode from info, which overrides log-level, even for a remote daemon', () => {
    const local = findingFor(runRule(rule, snap().daemon({ info: { Debug: true }, settings: { 'log-level': 'info' } }).build()), 'dockerd');
    expect(local).toMatchObject({ status: 'fail', messageId: 'other' });
    expect(local.message).toContain('debug');
    const remote = runRule(rule, snap().daemon({ info: { Debug: true }, configUnavailable: 'the daemon is remote' }).build());
    expect(summary(remote)).toEqual([['dockerd', 'fail', 'other']]);
  });

  it('is skipped when debug is off and the configuration is not visible', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ configUnavailable: 'the daemon is remote' }).build()), 'dockerd');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notSeen' });
    expect(finding.message).toContain('the daemon is remote');
  });
});
