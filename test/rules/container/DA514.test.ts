import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA514.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA514 container-port-host-interface', () => {
  it('fails ports published on every interface, however it is spelled', () => {
    const findings = runRule(
      rule,
      snap()
        .container({
          name: 'open',
          hostConfig: {
            PortBindings: {
              '80/tcp': [{ HostIp: '', HostPort: '8080' }],
              '443/tcp': [{ HostIp: '::', HostPort: '8443' }],
              '53/udp': [{ HostIp: '0.0.0.0', HostPort: '5353' }],
              '9090/tcp': [{ HostIp: '127.0.0.1', HostPort: '9090' }],
            },
          },
        })
        .build(),
    );
    const open = findingFor(findings, 'open');
    expect(open).toMatchObject({ status: 'fail', messageId: 'allInterfaces' });
    expect(open.message).toContain('0.0.0.0:8080->80/tcp');
    expect(open.message).toContain('[::]:8443->443/tcp');
    expect(open.message).toContain('0.0.0.0:5353->53/udp');
    expect(open.message).not.toContain('9090');
  });

  it('passes loopback and specific addresses, and containers that publish nothing', () => {
    const findings = runRule(
      rule,
      snap()
        .container({
          name: 'bound',
          hostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }], '81/tcp': [{ HostIp: '10.0.0.5', HostPort: '8081' }] } },
        })
        .container({ name: 'quiet' })
        .build(),
    );
    const bound = findingFor(findings, 'bound');
    expect(bound).toMatchObject({ status: 'pass', messageId: 'specific' });
    expect(bound.message).toContain('10.0.0.5:8081->81/tcp');
    expect(findingFor(findings, 'quiet')).toMatchObject({ status: 'pass', messageId: 'noPorts' });
  });

  it('is skipped for a container on the host network', () => {
    const findings = runRule(rule, snap().container({ name: 'hostnet', hostConfig: { NetworkMode: 'host' } }).build());
    expect(findingFor(findings, 'hostnet')).toMatchObject({ status: 'skipped', messageId: 'hostNetwork' });
  });
});

describe('DA514 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    ports:',
      '      - "8080:80"',
      '  plain:',
      '    image: app:1.0',
      '    ports:',
      '      - "127.0.0.1:8080:80"',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA514',
        alias: 'container-port-host-interface',
        title: 'Published ports are bound to a specific host interface',
        family: 'container',
        status: 'fail',
        severity: 'medium',
        references: { cis: ['5.14'], checklist: ['NET-2'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'publishes ports on every host interface: 0.0.0.0:8080->80/tcp (state: defined)',
        messageId: 'allInterfaces',
        remediation: 'Give the host address in each mapping: -p 127.0.0.1:8080:80 for local use, -p <internal-ip>:8080:80 for one network (ports: ["127.0.0.1:8080:80"]).',
      },
      {
        ruleId: 'DA514',
        alias: 'container-port-host-interface',
        title: 'Published ports are bound to a specific host interface',
        family: 'container',
        status: 'pass',
        severity: 'medium',
        references: { cis: ['5.14'], checklist: ['NET-2'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 6, column: 3 },
        message: 'every published port is bound to a specific address: 127.0.0.1:8080->80/tcp',
        messageId: 'specific',
      },
    ]);
  });
});
