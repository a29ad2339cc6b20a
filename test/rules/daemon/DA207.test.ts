import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/daemon/DA207.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

const TLS_FILES = { tlscacert: '/etc/docker/ca.pem', tlscert: '/etc/docker/server.pem', tlskey: '/etc/docker/server-key.pem' };

describe('DA207 daemon-tls', () => {
  it('passes a daemon on local sockets only, the default included', () => {
    const defaulted = findingFor(runRule(rule, snap().daemon({ settings: {} }).build()), 'dockerd');
    expect(defaulted).toMatchObject({ status: 'pass', messageId: 'localOnly' });
    expect(defaulted.message).toContain('unix:///var/run/docker.sock (default)');

    const listed = findingFor(runRule(rule, snap().daemon({ settings: { hosts: ['fd://', 'unix:///run/docker.sock'] } }).build()), 'dockerd');
    expect(listed).toMatchObject({ status: 'pass', messageId: 'localOnly' });
    expect(listed.message).toContain('fd://, unix:///run/docker.sock');
  });

  it('fails a TCP socket without TLS as critical', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ settings: { hosts: ['unix:///var/run/docker.sock', 'tcp://0.0.0.0:2375'] } }).build()), 'dockerd');
    expect(finding).toMatchObject({ ruleId: 'DA207', status: 'fail', messageId: 'noTls', severity: 'critical' });
    expect(finding.message).toContain('tcp://0.0.0.0:2375');
    expect(finding.message).not.toContain('unix://');
  });

  it('reads -H from the command line in every spelling, and an address without a scheme as TCP', () => {
    for (const argv of [
      ['/usr/bin/dockerd', '-H', 'fd://', '-H', 'tcp://10.0.0.5:2375'],
      ['/usr/bin/dockerd', '--host=tcp://10.0.0.5:2375'],
      ['/usr/bin/dockerd', '--host', '10.0.0.5:2375'],
      ['/usr/bin/dockerd', '-H=tcp://10.0.0.5:2375'],
      ['/usr/bin/dockerd', '-Htcp://10.0.0.5:2375'],
    ]) {
      const finding = findingFor(runRule(rule, snap().daemon({ settings: {}, commandLine: argv }).build()), 'dockerd');
      expect(finding, argv.join(' ')).toMatchObject({ status: 'fail', messageId: 'noTls', severity: 'critical' });
      expect(finding.message).toContain('10.0.0.5:2375');
    }
  });

  it('fails TLS without client verification as critical, including tlsverify given as false', () => {
    const tlsOnly = runRule(rule, snap().daemon({ settings: { hosts: ['tcp://0.0.0.0:2376'], tls: true, ...TLS_FILES } }).build());
    expect(findingFor(tlsOnly, 'dockerd')).toMatchObject({ status: 'fail', messageId: 'noVerify', severity: 'critical' });
    const verifyOff = runRule(rule, snap().daemon({ settings: { hosts: ['tcp://0.0.0.0:2376'], tlsverify: false, ...TLS_FILES } }).build());
    expect(summary(verifyOff)).toEqual([['dockerd', 'fail', 'noVerify']]);
  });

  it('warns when tlsverify relies on the default certificate files', () => {
    const finding = findingFor(
      runRule(rule, snap().daemon({ settings: { hosts: ['tcp://0.0.0.0:2376'], tlsverify: true, tlscert: '/etc/docker/server.pem' } }).build()),
      'dockerd',
    );
    expect(finding).toMatchObject({ status: 'warn', messageId: 'defaultFiles' });
    expect(finding.message).toContain('tlscacert, tlskey not set');
  });

  it('passes mutual TLS and names the CA', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ settings: { hosts: ['tcp://0.0.0.0:2376'], tlsverify: true, ...TLS_FILES } }).build()), 'dockerd');
    expect(finding).toMatchObject({ status: 'pass', messageId: 'verified', severity: 'high' });
    expect(finding.message).toBe('TCP socket tcp://0.0.0.0:2376 requires client certificates signed by /etc/docker/ca.pem');
  });

  it('is skipped when the daemon configuration is not visible', () => {
    expect(summary(runRule(rule, snap().daemon({ configUnavailable: 'the daemon is remote' }).build()))).toEqual([['dockerd', 'skipped', '__skipped']]);
  });
});
