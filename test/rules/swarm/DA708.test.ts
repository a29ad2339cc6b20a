import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/swarm/DA708.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { cluster, inSwarm } from './support/swarm-builders.js';

function at(collectedAt: string, spec: Parameters<typeof cluster>[0] = {}) {
  return inSwarm(snap(), { cluster: cluster(spec) })
    .with((snapshot) => {
      snapshot.collectedAt = collectedAt;
    })
    .build();
}

describe('DA708 swarm-ca-rotation', () => {
  it('gives the root CA facts for a person to judge against the rotation policy', () => {
    const finding = findingFor(runRule(rule, at('2027-01-01T00:00:00Z', { forceRotate: 2 })), 'swarm');
    expect(finding).toMatchObject({ ruleId: 'DA708', status: 'manual', messageId: 'facts', subject: { kind: 'swarm', name: 'swarm' } });
    expect(finding.message).toBe(
      'root CA "CN=swarm-ca" issued 2026-11-28 (33 days ago), valid until 2046-11-23; forced rotations so far: 2; external CAs: none: check this against your rotation policy',
    );
  });

  it('names external CAs', () => {
    const external = [{ Protocol: 'cfssl', URL: 'https://ca.example.com/api/v1/cfssl/sign' }];
    const finding = findingFor(runRule(rule, at('2027-01-01T00:00:00Z', { externalCas: external })), 'swarm');
    expect(finding.message).toContain('external CAs: cfssl https://ca.example.com/api/v1/cfssl/sign');
  });

  it('warns when the root CA expires within 90 days', () => {
    const finding = findingFor(runRule(rule, at('2046-10-01T00:00:00Z')), 'swarm');
    expect(finding).toMatchObject({ status: 'warn', messageId: 'expiresSoon' });
    expect(finding.message).toContain('expires on 2046-11-23, in 53 days');
  });

  it('reports a rotation in progress, and an unreadable root certificate', () => {
    expect(findingFor(runRule(rule, at('2027-01-01T00:00:00Z', { rootRotationInProgress: true, forceRotate: 1 })), 'swarm')).toMatchObject({
      status: 'info',
      messageId: 'rotating',
    });
    const garbled = findingFor(runRule(rule, at('2027-01-01T00:00:00Z', { trustRoot: 'not a certificate' })), 'swarm');
    expect(garbled).toMatchObject({ status: 'manual', messageId: 'noCertificate' });
  });

  it('is skipped when the cluster document was not collected, or the node is not a manager', () => {
    expect(findingFor(runRule(rule, inSwarm(snap(), { cluster: undefined }).build()), 'swarm')).toMatchObject({ status: 'skipped', messageId: 'notSeen' });
    expect(summary(runRule(rule, snap().build()))).toEqual([['swarm', 'skipped', '__skipped']]);
  });
});
