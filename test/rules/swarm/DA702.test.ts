import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/swarm/DA702.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { INGRESS_ID, inSwarm, node, port, service } from './support/swarm-builders.js';

describe('DA702 swarm-service-host-interface', () => {
  it('fails a service publishing through the routing mesh, with its ports and the node count', () => {
    const web = service({ name: 'web', id: 'websvc', ports: [port(8080, 80)], virtualIps: [INGRESS_ID] });
    const nodes = [node({ hostname: 'm1', leader: true }), node({ hostname: 'w1', role: 'worker' })];
    const finding = findingFor(runRule(rule, inSwarm(snap(), { nodes, services: [web] }).build()), 'web');
    expect(finding).toMatchObject({ ruleId: 'DA702', status: 'fail', messageId: 'ingress', subject: { kind: 'service', id: 'websvc', name: 'web' } });
    expect(finding.message).toBe('publishes 8080->80/tcp in ingress mode: the routing mesh listens on every interface of all 2 nodes of the swarm');
  });

  it('fails host-mode publication too, and lists both modes when a service mixes them', () => {
    const hostOnly = service({ name: 'edge', ports: [port(18082, 81, 'host')] });
    const mixed = service({ name: 'mixed', ports: [port(8443, 443), port(9000, 9000, 'host', 'udp')] });
    const findings = runRule(rule, inSwarm(snap(), { services: [hostOnly, mixed] }).build());
    const edge = findingFor(findings, 'edge');
    expect(edge).toMatchObject({ status: 'fail', messageId: 'hostMode' });
    expect(edge.message).toContain('18082->81/tcp');
    const both = findingFor(findings, 'mixed');
    expect(both).toMatchObject({ status: 'fail', messageId: 'ingress' });
    expect(both.message).toContain('8443->443/tcp');
    expect(both.message).toContain('in host mode: 9000->9000/udp');
  });

  it('passes a service that publishes nothing, and reads the spec when the endpoint reports no port', () => {
    const internal = service({ name: 'worker' });
    const undeployed = service({ name: 'pending', ports: [port(8081, 80)] });
    delete (undeployed['Endpoint'] as Record<string, unknown>)['Ports'];
    const findings = runRule(rule, inSwarm(snap(), { services: [internal, undeployed] }).build());
    expect(findingFor(findings, 'worker')).toMatchObject({ status: 'pass', messageId: 'noPorts' });
    expect(findingFor(findings, 'pending')).toMatchObject({ status: 'fail', messageId: 'ingress' });
  });

  it('asks a person to check the management port, giving the advertised address', () => {
    const finding = findingFor(runRule(rule, inSwarm(snap()).build()), 'swarm');
    expect(finding).toMatchObject({ status: 'manual', messageId: 'managementListen', subject: { kind: 'swarm' } });
    expect(finding.message).toContain('advertises 127.0.0.1');
  });

  it('is skipped when the node is not a swarm manager', () => {
    expect(summary(runRule(rule, snap().build()))).toEqual([['swarm', 'skipped', '__skipped']]);
  });
});
