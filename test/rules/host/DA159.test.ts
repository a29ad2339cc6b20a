import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/host/DA159.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

const COLLECTOR = { pid: 812, comm: 'vector', args: '/usr/bin/vector' };

describe('DA159 container-logs-analysable', () => {
  it('passes structured local logs when a collector runs, per container', () => {
    const snapshot = snap()
      .host({ processes: [COLLECTOR] })
      .container({ name: 'api' })
      .container({ name: 'worker', hostConfig: { LogConfig: { Type: 'journald', Config: {} } } })
      .build();
    const findings = runRule(rule, snapshot);
    expect(summary(findings)).toEqual([
      ['api', 'pass', 'collected'],
      ['worker', 'pass', 'collected'],
    ]);
    expect(findingFor(findings, 'api').message).toBe(
      'logs are written as structured records by the json-file driver and a collector runs: Vector (host process 812)',
    );
  });

  it('passes a remote driver and names where it sends', () => {
    const snapshot = snap()
      .host({ processes: [] })
      .container({ name: 'api', hostConfig: { LogConfig: { Type: 'gelf', Config: { 'gelf-address': 'udp://graylog:12201' } } } })
      .container({ name: 'web', hostConfig: { LogConfig: { Type: 'grafana/loki-docker-driver:latest', Config: {} } } })
      .build();
    const findings = runRule(rule, snapshot);
    expect(findingFor(findings, 'api')).toMatchObject({ status: 'pass', messageId: 'shipped' });
    expect(findingFor(findings, 'api').message).toBe('logs are sent by the gelf driver to udp://graylog:12201 (gelf-address)');
    expect(findingFor(findings, 'web').message).toContain("the driver's default endpoint");
  });

  it('fails discarded logs, and local logs no collector reads', () => {
    const snapshot = snap()
      .host({ processes: [] })
      .container({ name: 'silent', hostConfig: { LogConfig: { Type: 'none', Config: {} } } })
      .container({ name: 'api' })
      .build();
    const findings = runRule(rule, snapshot);
    expect(findingFor(findings, 'silent')).toMatchObject({ status: 'fail', messageId: 'discarded' });
    const api = findingFor(findings, 'api');
    expect(api).toMatchObject({ status: 'fail', messageId: 'notCollected', severity: 'low' });
    expect(api.message).toBe('logs stay in the json-file driver on the host and no log collector runs on the host or as a container');
  });

  it('warns the local driver, whose binary files only the API reads', () => {
    const snapshot = snap()
      .host({ processes: [COLLECTOR] })
      .container({ name: 'api', hostConfig: { LogConfig: { Type: 'local', Config: {} } } })
      .build();
    const finding = findingFor(runRule(rule, snapshot), 'api');
    expect(finding).toMatchObject({ status: 'warn', messageId: 'binaryFormat' });
    expect(finding.message).toContain('check that Vector (host process 812) reads them through the API');
  });

  it('counts a forwarding syslog daemon as a reader of journald logs only', () => {
    const snapshot = snap()
      .host({ processes: [{ pid: 612, comm: 'rsyslogd', args: '/usr/sbin/rsyslogd' }], syslogForwarding: ['*.* @@loghost:514'] })
      .container({ name: 'journal', hostConfig: { LogConfig: { Type: 'journald', Config: {} } } })
      .container({ name: 'files' })
      .build();
    expect(summary(runRule(rule, snapshot))).toEqual([
      ['files', 'fail', 'notCollected'],
      ['journal', 'pass', 'collected'],
    ]);
  });

  it('is skipped for local logs when host processes are not visible', () => {
    const snapshot = snap().hostUnavailable('not collected').container({ name: 'api' }).build();
    const finding = findingFor(runRule(rule, snapshot), 'api');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notSeen' });
    expect(finding.message).toContain('not collected');
  });
});
