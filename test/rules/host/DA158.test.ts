import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/host/DA158.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

describe('DA158 log-collector-running', () => {
  it('passes a collector running as a container or on the host', () => {
    const container = snap().host({ processes: [] }).container({ name: 'promtail', image: 'grafana/promtail:2.9.4' }).container({ name: 'app' }).build();
    const finding = findingFor(runRule(rule, container), 'testhost');
    expect(finding).toMatchObject({ ruleId: 'DA158', status: 'pass', messageId: 'collectorRuns' });
    expect(finding.message).toBe('a log collector runs: Promtail (container promtail)');
    const host = snap().host({ processes: [{ pid: 77, comm: 'otelcol-contrib', args: '/usr/bin/otelcol-contrib --config=/etc/otelcol/config.yaml' }] }).build();
    expect(findingFor(runRule(rule, host), 'testhost').message).toContain('OpenTelemetry Collector (host process 77)');
  });

  it('passes when every container sends its logs away with a remote driver', () => {
    const snapshot = snap()
      .host({ processes: [] })
      .container({ name: 'api', hostConfig: { LogConfig: { Type: 'gelf', Config: { 'gelf-address': 'udp://graylog:12201' } } } })
      .container({ name: 'web', hostConfig: { LogConfig: { Type: 'fluentd', Config: {} } } })
      .build();
    const finding = findingFor(runRule(rule, snapshot), 'testhost');
    expect(finding).toMatchObject({ status: 'pass', messageId: 'remoteDrivers' });
    expect(finding.message).toContain('(fluentd, gelf)');
  });

  it('fails when no collector runs and logs stay local', () => {
    const snapshot = snap()
      .host({ processes: [{ pid: 1, comm: 'systemd', args: '/sbin/init' }] })
      .container({ name: 'api' })
      .container({ name: 'web', hostConfig: { LogConfig: { Type: 'gelf', Config: {} } } })
      .build();
    const finding = findingFor(runRule(rule, snapshot), 'testhost');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'noCollector', severity: 'medium' });
    expect(finding.message).toBe('no log collector runs on the host or as a container, and not every container sends its logs away (log drivers: gelf, json-file)');
    const empty = findingFor(runRule(rule, snap().host({ processes: [] }).daemon({ info: { LoggingDriver: 'journald' } }).build()), 'testhost');
    expect(empty.message).toContain('(log drivers: journald)');
  });

  it('is skipped when host processes are not visible and no collector container runs', () => {
    const snapshot = snap().hostUnavailable('not collected').container({ name: 'api' }).build();
    const finding = findingFor(runRule(rule, snapshot), 'testhost');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notSeen' });
    expect(finding.message).toContain('not collected');
    expect(summary(runRule(rule, snap().daemonUnavailable('connect ENOENT').build()))).toEqual([['testhost', 'skipped', '__skipped']]);
  });
});
