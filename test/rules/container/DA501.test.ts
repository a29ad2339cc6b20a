import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA501.js';
import { snap } from '../../helpers/builder.js';
import { runRule, summary } from '../../helpers/rule-tester.js';

describe('DA501 swarm-mode', () => {
  it('passes a daemon that is not in a swarm', () => {
    expect(summary(runRule(rule, snap().build()))).toEqual([['dockerd', 'pass', 'inactive']]);
  });

  it('asks a person to confirm an active swarm, naming the role', () => {
    const findings = runRule(
      rule,
      snap()
        .daemon({ info: { Swarm: { LocalNodeState: 'active', ControlAvailable: true, NodeID: 'node1abc' } } })
        .build(),
    );
    expect(summary(findings)).toEqual([['dockerd', 'manual', 'active']]);
    expect(findings[0]?.message).toContain('manager');
    expect(findings[0]?.message).toContain('node1abc');
  });

  it('reports a node that is joining or locked', () => {
    const findings = runRule(rule, snap().daemon({ info: { Swarm: { LocalNodeState: 'locked' } } }).build());
    expect(summary(findings)).toEqual([['dockerd', 'manual', 'otherState']]);
    expect(findings[0]?.message).toContain('locked');
  });

  it('is skipped when the daemon does not report its swarm state', () => {
    expect(summary(runRule(rule, snap().daemon({ info: { Swarm: {} } }).build()))).toEqual([['dockerd', 'skipped', 'unknown']]);
  });

  it('is skipped when the daemon is unreachable', () => {
    const findings = runRule(rule, snap().daemonUnavailable('connect ECONNREFUSED').build());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: 'skipped', messageId: '__skipped' });
  });
});
