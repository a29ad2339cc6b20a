import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/swarm/DA705.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { cluster, inSwarm } from './support/swarm-builders.js';

describe('DA705 swarm-autolock', () => {
  it('fails a swarm without auto-lock, the default of docker swarm init', () => {
    const finding = findingFor(runRule(rule, inSwarm(snap()).build()), 'swarm');
    expect(finding).toMatchObject({ ruleId: 'DA705', status: 'fail', messageId: 'unlocked', subject: { kind: 'swarm', name: 'swarm' } });
    expect(finding.message).toContain('auto-lock is off');
  });

  it('passes a swarm whose managers are auto-locked', () => {
    const finding = findingFor(runRule(rule, inSwarm(snap(), { cluster: cluster({ autoLock: true }) }).build()), 'swarm');
    expect(finding).toMatchObject({ status: 'pass', messageId: 'locked' });
  });

  it('is skipped when the cluster document was not collected, or the node is not a manager', () => {
    expect(findingFor(runRule(rule, inSwarm(snap(), { cluster: undefined }).build()), 'swarm')).toMatchObject({ status: 'skipped', messageId: 'notSeen' });
    expect(summary(runRule(rule, snap().build()))).toEqual([['swarm', 'skipped', '__skipped']]);
  });
});
