import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/host/DA157.js';
import { snap } from '../../helpers/builder.js';
import type { HostProcess } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

const RSYSLOG: HostProcess = { pid: 612, comm: 'rsyslogd', args: '/usr/sbin/rsyslogd -n -iNONE' };

describe('DA157 host-logs-collected', () => {
  it('passes a syslog daemon that forwards to a remote collector', () => {
    const snapshot = snap().host({ processes: [RSYSLOG], syslogForwarding: ['*.* @@loghost.example:514'] }).build();
    const finding = findingFor(runRule(rule, snapshot), 'testhost');
    expect(finding).toMatchObject({ ruleId: 'DA157', status: 'pass', messageId: 'shipped', subject: { kind: 'host', name: 'testhost' } });
    expect(finding.message).toBe('host logs leave the host: rsyslogd forwards (*.* @@loghost.example:514)');
  });

  it('passes a log shipper on the host, found by name or by its interpreter command line', () => {
    const vector = snap().host({ processes: [{ pid: 812, comm: 'vector', args: '/usr/bin/vector --config /etc/vector/vector.yaml' }] }).build();
    expect(findingFor(runRule(rule, vector), 'testhost').message).toBe('host logs leave the host: log shippers run: Vector (host process 812)');
    const fluentd = snap()
      .host({ processes: [{ pid: 90, comm: 'ruby', args: '/opt/fluent/bin/ruby /opt/fluent/bin/fluentd -c /etc/fluent/fluentd.conf' }] })
      .build();
    expect(findingFor(runRule(rule, fluentd), 'testhost').message).toContain('Fluentd (host process 90)');
  });

  it('passes a shipper running as a container, but not a stopped one', () => {
    const running = snap().host({ processes: [] }).container({ name: 'logs', image: 'fluent/fluent-bit:3.0' }).build();
    expect(findingFor(runRule(rule, running), 'testhost').message).toContain('Fluent Bit (container logs)');
    const stopped = snap().host({ processes: [] }).container({ name: 'logs', image: 'fluent/fluent-bit:3.0', state: 'exited' }).build();
    expect(summary(runRule(rule, stopped))).toEqual([['testhost', 'fail', 'lost']]);
  });

  it('warns when logs are kept on the host only', () => {
    const journal = snap().host({ processes: [], journald: { storage: 'persistent', persistentDirectory: true } }).build();
    const finding = findingFor(runRule(rule, journal), 'testhost');
    expect(finding).toMatchObject({ status: 'warn', messageId: 'localOnly' });
    expect(finding.message).toContain('(persistent journal)');
    const autoWithDirectory = snap().host({ processes: [RSYSLOG], journald: { storage: 'auto', persistentDirectory: true } }).build();
    expect(findingFor(runRule(rule, autoWithDirectory), 'testhost').message).toContain('(persistent journal, rsyslogd writing local files)');
    const forwardingButNoDaemon = snap().host({ processes: [], syslogForwarding: ['*.* @loghost:514'], journald: { persistentDirectory: true } }).build();
    expect(summary(runRule(rule, forwardingButNoDaemon))).toEqual([['testhost', 'warn', 'localOnly']]);
  });

  it('fails when the journal is volatile and nothing else keeps or ships logs', () => {
    const snapshot = snap().host({ processes: [], journald: { storage: 'auto', persistentDirectory: false } }).build();
    const finding = findingFor(runRule(rule, snapshot), 'testhost');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'lost', severity: 'medium' });
    expect(finding.message).toBe('host logs are neither kept across reboots nor forwarded: journal volatile, no syslog daemon, no log shipper');
  });

  it('is skipped, not failed, when the process list is not visible', () => {
    const snapshot = snap()
      .host({ processes: { unavailable: true, reason: '/proc is not mounted under the host root' }, journald: { persistentDirectory: false } })
      .build();
    const finding = findingFor(runRule(rule, snapshot), 'testhost');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notSeen' });
    expect(finding.message).toContain('/proc is not mounted under the host root');
  });
});
