import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/swarm/DA706.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { cluster, inSwarm } from './support/swarm-builders.js';

/** A snapshot collected on `collectedAt` of an auto-locked swarm last updated on `updatedAt`. */
function locked(updatedAt: string, collectedAt: string) {
  return inSwarm(snap(), { cluster: cluster({ autoLock: true, updatedAt }) })
    .with((snapshot) => {
      snapshot.collectedAt = collectedAt;
    })
    .build();
}

describe('DA706 swarm-unlock-key-rotation', () => {
  it('warns when the swarm has not changed for longer than the rotation period, so the key cannot have been rotated', () => {
    const finding = findingFor(runRule(rule, locked('2026-01-10T08:00:00Z', '2026-06-01T00:00:00Z')), 'swarm');
    expect(finding).toMatchObject({ ruleId: 'DA706', status: 'warn', messageId: 'stale', subject: { kind: 'swarm' } });
    expect(finding.message).toContain('since 2026-01-10 (141 days, more than 90)');
  });

  it('asks for the rotation records when the swarm changed recently, and honours maxDays', () => {
    const snapshot = locked('2026-05-20T00:00:00Z', '2026-06-01T00:00:00Z');
    const recent = findingFor(runRule(rule, snapshot), 'swarm');
    expect(recent).toMatchObject({ status: 'manual', messageId: 'checkRecords' });
    expect(recent.message).toContain('2026-05-20 (12 days ago)');
    expect(findingFor(runRule(rule, snapshot, { maxDays: 7 }), 'swarm')).toMatchObject({ status: 'warn', messageId: 'stale' });
  });

  it('reports that there is no key to rotate without auto-lock', () => {
    expect(findingFor(runRule(rule, inSwarm(snap()).build()), 'swarm')).toMatchObject({ status: 'info', messageId: 'noAutolock' });
  });

  it('is skipped when the cluster document was not collected, or the node is not a manager', () => {
    expect(findingFor(runRule(rule, inSwarm(snap(), { cluster: undefined }).build()), 'swarm')).toMatchObject({ status: 'skipped', messageId: 'notSeen' });
    expect(summary(runRule(rule, snap().build()))).toEqual([['swarm', 'skipped', '__skipped']]);
  });
});
