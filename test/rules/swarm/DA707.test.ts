import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/swarm/DA707.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { cluster, inSwarm } from './support/swarm-builders.js';

const HOUR_NS = 3600 * 1e9;

describe('DA707 swarm-node-cert-expiry', () => {
  it('passes the default lifetime of 90 days and a shorter one, with the value', () => {
    const defaults = findingFor(runRule(rule, inSwarm(snap()).build()), 'swarm');
    expect(defaults).toMatchObject({ ruleId: 'DA707', status: 'pass', messageId: 'withinPolicy', subject: { kind: 'swarm', name: 'swarm' } });
    expect(defaults.message).toContain('valid for 90 days and renewed');
    const short = findingFor(runRule(rule, inSwarm(snap(), { cluster: cluster({ nodeCertExpiry: 48 * HOUR_NS }) }).build()), 'swarm');
    expect(short.message).toContain('valid for 2 days');
    const unset = findingFor(runRule(rule, inSwarm(snap(), { cluster: cluster({ nodeCertExpiry: 0 }) }).build()), 'swarm');
    expect(unset.message).toContain('90 days (the default)');
  });

  it('warns about a lifetime longer than the policy, and takes the policy from the options', () => {
    const long = findingFor(runRule(rule, inSwarm(snap(), { cluster: cluster({ nodeCertExpiry: 365 * 24 * HOUR_NS }) }).build()), 'swarm');
    expect(long).toMatchObject({ status: 'warn', messageId: 'tooLong' });
    expect(long.message).toContain('valid for 365 days, longer than 90 days');
    const strict = findingFor(runRule(rule, inSwarm(snap()).build(), { maxDays: 30 }), 'swarm');
    expect(strict).toMatchObject({ status: 'warn', messageId: 'tooLong' });
  });

  it('is skipped when the cluster document was not collected, or the node is not a manager', () => {
    expect(findingFor(runRule(rule, inSwarm(snap(), { cluster: undefined }).build()), 'swarm')).toMatchObject({ status: 'skipped', messageId: 'notSeen' });
    expect(summary(runRule(rule, snap().build()))).toEqual([['swarm', 'skipped', '__skipped']]);
  });
});
