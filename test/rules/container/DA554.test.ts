import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA554.js';
import { effectiveLogConfig, logDriverKind } from '../../../src/rules/shared/logging.js';
import { snap } from '../../helpers/builder.js';
import type { Workload } from '../../../src/views/workload.js';
import { workloadsOf } from '../../../src/views/all-workloads.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

const logging = (Type: string, Config: Record<string, string> = {}) => ({ LogConfig: { Type, Config } });

describe('DA554 container-log-size-cap', () => {
  it('fails json-file without max-size', () => {
    const findings = runRule(rule, snap().container({ name: 'chatty' }).build());
    expect(findingFor(findings, 'chatty')).toMatchObject({ status: 'fail', messageId: 'uncapped', severity: 'medium' });
  });

  it('says so when the daemon now caps logs but the container predates it', () => {
    const findings = runRule(
      rule,
      snap().daemon({ settings: { 'log-opts': { 'max-size': '10m' } } }).container({ name: 'old' }).build(),
    );
    const old = findingFor(findings, 'old');
    expect(old).toMatchObject({ status: 'fail', messageId: 'createdBeforeDaemonCap' });
    expect(old.message).toContain('max-size=10m');
  });

  it('passes json-file with max-size (the daemon defaults merged at creation), local with or without options, and other drivers', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'capped', hostConfig: logging('json-file', { 'max-size': '10m', 'max-file': '3' }) })
        .container({ name: 'capped-one', hostConfig: logging('json-file', { 'max-size': '10m' }) })
        .container({ name: 'local', hostConfig: logging('local') })
        .container({ name: 'local-set', hostConfig: logging('local', { 'max-size': '50m' }) })
        .container({ name: 'journal', hostConfig: logging('journald') })
        .container({ name: 'shipped', hostConfig: logging('fluentd') })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['capped', 'pass', 'capped'],
      ['capped-one', 'pass', 'capped'],
      ['journal', 'pass', 'notFileDriver'],
      ['local', 'pass', 'localDefault'],
      ['local-set', 'pass', 'capped'],
      ['shipped', 'pass', 'notFileDriver'],
    ]);
    expect(findingFor(findings, 'capped').message).toBe('log driver json-file capped at max-size=10m, max-file=3');
    expect(findingFor(findings, 'capped-one').message).toContain('max-file=1');
    expect(findingFor(findings, 'local-set').message).toContain('max-file=5');
  });

  it('applies the daemon log-opts to a workload defined in a file, as the daemon will at creation', () => {
    const snapshot = snap().daemon({ settings: { 'log-opts': { 'max-size': '10m', 'cache-disabled': 'true' } } }).container({ name: 'svc' }).build();
    const [container] = workloadsOf(snapshot);
    const service: Workload = { ...(container as Workload), kind: 'compose-service', logging: { driver: '', options: {} } };
    expect(effectiveLogConfig(service, snapshot).options).toEqual({ 'max-size': '10m', 'cache-disabled': 'true' });
    const syslog: Workload = { ...service, logging: { driver: 'syslog', options: {} } };
    expect(effectiveLogConfig(syslog, snapshot).options).toEqual({ 'cache-disabled': 'true' });
    expect(effectiveLogConfig(container as Workload, snapshot).options).toEqual({});
  });

  it('classifies log drivers', () => {
    expect(['json-file', 'local', 'journald', 'none', 'syslog', 'grafana/loki-docker-driver:latest'].map(logDriverKind)).toEqual([
      'file',
      'file',
      'journald',
      'none',
      'remote',
      'remote',
    ]);
  });
});

describe('DA554 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    logging:',
      '      driver: json-file',
      '  plain:',
      '    image: app:1.0',
      '    logging:',
      '      options:',
      '        max-size: 10m',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA554',
        alias: 'container-log-size-cap',
        title: 'Local container logs are size-capped',
        family: 'container',
        status: 'fail',
        severity: 'medium',
        references: { cis: [], checklist: ['PERF-6'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'log driver json-file without max-size: the log file grows without bound',
        messageId: 'uncapped',
        remediation: 'Set max-size and max-file for json-file (--log-opt max-size=10m --log-opt max-file=3, or "log-opts" in daemon.json then recreate the containers), or use the local driver, which is capped by default.',
      },
      {
        ruleId: 'DA554',
        alias: 'container-log-size-cap',
        title: 'Local container logs are size-capped',
        family: 'container',
        status: 'pass',
        severity: 'medium',
        references: { cis: [], checklist: ['PERF-6'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 6, column: 3 },
        message: 'log driver json-file capped at max-size=10m, max-file=1',
        messageId: 'capped',
      },
    ]);
  });
});
