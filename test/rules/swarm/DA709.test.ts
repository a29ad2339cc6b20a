import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/swarm/DA709.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { cluster, inSwarm, node } from './support/swarm-builders.js';

describe('DA709 swarm-data-path-separation', () => {
  it('gives management and node addresses and the data path port for a person to check', () => {
    const nodes = [node({ hostname: 'm1', addr: '10.0.0.1', leader: true }), node({ hostname: 'w1', role: 'worker', addr: '10.0.0.2' })];
    const finding = findingFor(runRule(rule, inSwarm(snap(), { nodes, cluster: cluster({ dataPathPort: 7789 }) }).build()), 'swarm');
    expect(finding).toMatchObject({ ruleId: 'DA709', status: 'manual', messageId: 'facts', subject: { kind: 'swarm', name: 'swarm' } });
    expect(finding.message).toContain('management addresses: m1 10.0.0.1:2377; node addresses: m1 10.0.0.1, w1 10.0.0.2; data path on UDP 7789');
  });

  it('falls back to the VXLAN port when the cluster document is missing', () => {
    const finding = findingFor(runRule(rule, inSwarm(snap(), { cluster: undefined }).build()), 'swarm');
    expect(finding.message).toContain('UDP 4789');
  });

  it('is skipped when the node is not a swarm manager', () => {
    expect(summary(runRule(rule, snap().build()))).toEqual([['swarm', 'skipped', '__skipped']]);
  });
});
