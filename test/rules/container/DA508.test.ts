import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA508.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA508 container-privileged-port', () => {
  it('fails host ports below 1024, naming each mapping', () => {
    const findings = runRule(
      rule,
      snap()
        .container({
          name: 'web',
          state: 'exited',
          hostConfig: {
            PortBindings: {
              '80/tcp': [{ HostIp: '', HostPort: '80' }],
              '8443/tcp': [{ HostIp: '127.0.0.1', HostPort: '443' }],
              '9000/tcp': [{ HostIp: '', HostPort: '9000' }],
            },
          },
        })
        .build(),
    );
    const web = findingFor(findings, 'web');
    expect(web).toMatchObject({ status: 'fail', messageId: 'privilegedPorts' });
    expect(web.message).toContain('0.0.0.0:80->80/tcp');
    expect(web.message).toContain('127.0.0.1:443->8443/tcp');
    expect(web.message).not.toContain('9000');
    expect(web.message).toContain('exited');
  });

  it('passes high host ports and ports the daemon picks', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'high', hostConfig: { PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }], '81/tcp': [{ HostIp: '', HostPort: '' }] } } })
        .container({ name: 'none' })
        .build(),
    );
    expect(findingFor(findings, 'high')).toMatchObject({ status: 'pass', messageId: 'none' });
    expect(findingFor(findings, 'high').message).toContain('2 published');
    expect(findingFor(findings, 'none')).toMatchObject({ status: 'pass', messageId: 'none' });
  });

  it('draws the line at 1024 and judges a host port range by its first port', () => {
    const bindings = (hostPort: string) => ({ PortBindings: { '80/tcp': [{ HostIp: '::', HostPort: hostPort }] } });
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'p1023', state: 'running', hostConfig: bindings('1023') })
        .container({ name: 'p1024', hostConfig: bindings('1024') })
        .container({ name: 'p1', state: 'running', hostConfig: bindings('1') })
        .container({ name: 'range', state: 'running', hostConfig: bindings('1000-1100') })
        .container({ name: 'zero', hostConfig: bindings('0') })
        .build(),
    );
    expect(findingFor(findings, 'p1023').message).toBe('publishes privileged host ports: [::]:1023->80/tcp (state: running)');
    expect(findingFor(findings, 'p1').message).toBe('publishes privileged host ports: [::]:1->80/tcp (state: running)');
    expect(findingFor(findings, 'range').message).toBe('publishes privileged host ports: [::]:1000-1100->80/tcp (state: running)');
    expect(findingFor(findings, 'p1024')).toMatchObject({ status: 'pass', messageId: 'none', message: 'no published host port below 1024 (1 published)' });
    // Port 0 asks the daemon to pick a free high port.
    expect(findingFor(findings, 'zero')).toMatchObject({ status: 'pass', messageId: 'none', message: 'no published host port below 1024 (1 published)' });
  });

  it('is skipped for a container on the host network', () => {
    const findings = runRule(rule, snap().container({ name: 'hostnet', hostConfig: { NetworkMode: 'host' }, networks: ['host'] }).build());
    expect(findingFor(findings, 'hostnet')).toMatchObject({ status: 'skipped', messageId: 'hostNetwork' });
    expect(findingFor(findings, 'hostnet').message).toBe(
      'skipped: the container uses the host network, so it publishes no port and binds host ports directly (see DA510)',
    );
  });

  it('is skipped with the reason when containers could not be listed', () => {
    const findings = runRule(rule, snap().daemonUnavailable('connect ENOENT /var/run/docker.sock').build());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 'DA508', status: 'skipped', messageId: '__skipped', subject: { kind: 'container' } });
    expect(findings[0]?.message).toContain('ENOENT');
  });
});

describe('DA508 on Compose services', () => {
  it('passes host port 0 in a Compose file, which asks the daemon for a free port', () => {
    const findings = runRule(rule, composeFile(['services:', '  web:', '    image: app:1.0', '    ports: ["0:80", {target: 81, published: 0}]']));
    expect(findingFor(findings, 'web')).toMatchObject({ status: 'pass', messageId: 'none', message: 'no published host port below 1024 (2 published)' });
  });

  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    ports:',
      '      - "80:80"',
      '  plain:',
      '    image: app:1.0',
      '    ports:',
      '      - "8080:80"',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA508',
        alias: 'container-privileged-port',
        title: 'Containers do not publish privileged host ports',
        family: 'container',
        status: 'fail',
        severity: 'low',
        references: { cis: ['5.8'], checklist: ['NET-3'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'publishes privileged host ports: 0.0.0.0:80->80/tcp (state: defined)',
        messageId: 'privilegedPorts',
        remediation: 'Publish the container on a host port of 1024 or above (-p 8080:80), or put a reverse proxy in front of it on the host.',
      },
      {
        ruleId: 'DA508',
        alias: 'container-privileged-port',
        title: 'Containers do not publish privileged host ports',
        family: 'container',
        status: 'pass',
        severity: 'low',
        references: { cis: ['5.8'], checklist: ['NET-3'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 6, column: 3 },
        message: 'no published host port below 1024 (1 published)',
        messageId: 'none',
      },
    ]);
  });
});
