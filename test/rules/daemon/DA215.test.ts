import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/daemon/DA215.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

describe('DA215 daemon-live-restore', () => {
  it('passes live restore, from info alone', () => {
    const snapshot = snap().daemon({ info: { LiveRestoreEnabled: true }, configUnavailable: 'the daemon is remote' }).build();
    expect(summary(runRule(rule, snapshot))).toEqual([['dockerd', 'pass', 'enabled']]);
  });

  it('fails the default', () => {
    const finding = findingFor(runRule(rule, snap().build()), 'dockerd');
    expect(finding).toMatchObject({ ruleId: 'DA215', status: 'fail', messageId: 'disabled', severity: 'low' });
  });

  it('reports a swarm node as information', () => {
    const snapshot = snap().daemon({ info: { Swarm: { LocalNodeState: 'active', ControlAvailable: true } } }).build();
    expect(summary(runRule(rule, snapshot))).toEqual([['dockerd', 'info', 'swarm']]);
  });

  it('is skipped when info does not report it', () => {
    const snapshot = snap()
      .with((s) => {
        if (!('unavailable' in s.daemon)) delete s.daemon.info['LiveRestoreEnabled'];
      })
      .build();
    expect(summary(runRule(rule, snapshot))).toEqual([['dockerd', 'skipped', 'notReported']]);
  });
});
