import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/daemon/DA218.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

describe('DA218 daemon-experimental', () => {
  it('passes a daemon without experimental features, from info alone', () => {
    expect(summary(runRule(rule, snap().daemon({ configUnavailable: 'the daemon is remote' }).build()))).toEqual([['dockerd', 'pass', 'stable']]);
  });

  it('fails a daemon with experimental features', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ info: { ExperimentalBuild: true } }).build()), 'dockerd');
    expect(finding).toMatchObject({ ruleId: 'DA218', status: 'fail', messageId: 'experimental', severity: 'low' });
  });

  it('is skipped when info does not report it', () => {
    const snapshot = snap()
      .with((s) => {
        if (!('unavailable' in s.daemon)) delete s.daemon.info['ExperimentalBuild'];
      })
      .build();
    expect(summary(runRule(rule, snapshot))).toEqual([['dockerd', 'skipped', 'notReported']]);
  });
});
