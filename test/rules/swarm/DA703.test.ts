import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/swarm/DA703.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { INGRESS_ID, ingress, inSwarm, overlay, port, service } from './support/swarm-builders.js';

describe('DA703 swarm-overlay-encrypted', () => {
  it('passes an encrypted overlay network and fails a plain one, by network', () => {
    const snapshot = inSwarm(snap())
      .network(overlay('backend', { id: 'backendid', encrypted: true }))
      .network(overlay('frontend', { id: 'frontendid' }))
      .build();
    const findings = runRule(rule, snapshot);
    expect(findingFor(findings, 'backend')).toMatchObject({ status: 'pass', messageId: 'encrypted', subject: { kind: 'network', id: 'backendid' } });
    const plain = findingFor(findings, 'frontend');
    expect(plain).toMatchObject({ ruleId: 'DA703', status: 'fail', messageId: 'plain', subject: { kind: 'network', id: 'frontendid', name: 'frontend' } });
    expect(plain.message).toContain('swarm scope');
  });

  it('warns about a plain ingress network, counting the services that publish through it', () => {
    const web = service({ name: 'web', ports: [port(8080, 80)], virtualIps: [INGRESS_ID] });
    const edge = service({ name: 'edge', ports: [port(8081, 81, 'host')] });
    const finding = findingFor(runRule(rule, inSwarm(snap(), { services: [web, edge] }).network(ingress()).build()), 'ingress');
    expect(finding).toMatchObject({ status: 'warn', messageId: 'ingressPlain' });
    expect(finding.message).toContain('(1 service publishing through it)');
    expect(findingFor(runRule(rule, inSwarm(snap()).network(ingress(true)).build()), 'ingress')).toMatchObject({ status: 'pass' });
  });

  it('leaves bridge, host and other local networks alone', () => {
    const snapshot = inSwarm(snap())
      .network({ Name: 'bridge', Id: 'b', Driver: 'bridge', Scope: 'local', Options: {} })
      .network({ Name: 'docker_gwbridge', Id: 'g', Driver: 'bridge', Scope: 'local', Options: {} })
      .build();
    expect(runRule(rule, snapshot)).toEqual([]);
  });

  it('is skipped when the node is not a swarm manager', () => {
    expect(summary(runRule(rule, snap().network(overlay('frontend')).build()))).toEqual([['swarm', 'skipped', '__skipped']]);
  });
});
