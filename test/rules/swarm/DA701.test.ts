import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/swarm/DA701.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { inSwarm, node } from './support/swarm-builders.js';

const managers = (count: number) => Array.from({ length: count }, (_, index) => node({ hostname: `m${index + 1}`, leader: index === 0 }));

describe('DA701 swarm-manager-count', () => {
  it('passes a single manager and an odd number up to seven, naming them', () => {
    const single = findingFor(runRule(rule, inSwarm(snap(), { nodes: [...managers(1), node({ hostname: 'w1', role: 'worker' })] }).build()), 'swarm');
    expect(single).toMatchObject({ ruleId: 'DA701', status: 'pass', messageId: 'single', subject: { kind: 'swarm', name: 'swarm' } });
    expect(single.message).toContain('m1');
    expect(single.message).toContain('for 2 nodes');
    const three = findingFor(runRule(rule, inSwarm(snap(), { nodes: managers(3) }).build()), 'swarm');
    expect(three).toMatchObject({ status: 'pass', messageId: 'odd' });
    expect(three.message).toBe('3 managers (m1, m2, m3) for 3 nodes: tolerates the loss of 1 manager');
  });

  it('warns about an even number of managers, and about more than seven', () => {
    const even = findingFor(runRule(rule, inSwarm(snap(), { nodes: managers(2) }).build()), 'swarm');
    expect(even).toMatchObject({ status: 'warn', messageId: 'even' });
    expect(even.message).toContain('2 managers (m1, m2)');
    const many = findingFor(runRule(rule, inSwarm(snap(), { nodes: managers(9) }).build()), 'swarm');
    expect(many).toMatchObject({ status: 'warn', messageId: 'tooMany' });
    expect(many.message).toContain('9 managers');
  });

  it('warns about unreachable managers with the quorum, and reports an even count as a second problem', () => {
    const nodes = [node({ hostname: 'm1', leader: true }), node({ hostname: 'm2', reachability: 'unreachable' }), node({ hostname: 'm3' })];
    const finding = findingFor(runRule(rule, inSwarm(snap(), { nodes }).build()), 'swarm');
    expect(finding).toMatchObject({ status: 'warn', messageId: 'unreachable' });
    expect(finding.message).toBe('1 of 3 managers are not reachable (m2): the quorum needs 2 reachable managers');
    const four = [...nodes, node({ hostname: 'm4' })];
    expect(summary(runRule(rule, inSwarm(snap(), { nodes: four }).build()))).toEqual([
      ['swarm', 'warn', 'even'],
      ['swarm', 'warn', 'unreachable'],
    ]);
  });

  it('is skipped when the node list holds no manager', () => {
    const finding = findingFor(runRule(rule, inSwarm(snap(), { nodes: [node({ hostname: 'w1', role: 'worker' })] }).build()), 'swarm');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'none' });
  });

  it('is skipped with the reason when the node is not a swarm manager', () => {
    const findings = runRule(rule, snap().build());
    expect(summary(findings)).toEqual([['swarm', 'skipped', '__skipped']]);
    expect(findings[0]?.message).toContain('not part of a swarm');
  });
});
