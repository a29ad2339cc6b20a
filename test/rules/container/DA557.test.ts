import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA557.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

const logging = (Type: string, Config: Record<string, string> = {}) => ({ LogConfig: { Type, Config } });

describe('DA557 container-logs-not-lost', () => {
  it('warns about rotation that keeps a single file, json-file by default and local when told', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'one', hostConfig: logging('json-file', { 'max-size': '10m' }) })
        .container({ name: 'local-one', hostConfig: logging('local', { 'max-file': '1' }) })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['local-one', 'warn', 'singleFile'],
      ['one', 'warn', 'singleFile'],
    ]);
    expect(findingFor(findings, 'one').message).toBe('log driver json-file rotates at max-size=10m with max-file=1: each rotation discards the only file');
  });

  it('passes several rotated files, local by default, and json-file that never rotates', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'three', hostConfig: logging('json-file', { 'max-size': '10m', 'max-file': '3' }) })
        .container({ name: 'local', hostConfig: logging('local') })
        .container({ name: 'unrotated' })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['local', 'pass', 'rotated'],
      ['three', 'pass', 'rotated'],
      ['unrotated', 'pass', 'notRotated'],
    ]);
    expect(findingFor(findings, 'local').message).toContain('keeps 5 rotated files');
  });

  it('warns about each weakness of a remote driver separately', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'fluent', hostConfig: logging('fluentd', { 'cache-disabled': 'true' }) })
        .container({ name: 'gelf', hostConfig: logging('gelf', { mode: 'non-blocking', 'cache-disabled': '1' }) })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['fluent', 'warn', 'cacheDisabled'],
      ['fluent', 'warn', 'blocking'],
      ['fluent', 'warn', 'fluentdSync'],
      ['gelf', 'warn', 'cacheDisabled'],
    ]);
  });

  it('takes cache-disabled from the daemon log-opts when the container carries none', () => {
    const findings = runRule(
      rule,
      snap()
        .daemon({ settings: { 'log-opts': { 'cache-disabled': 'true' } } })
        .container({ name: 'inherits', hostConfig: logging('syslog', { mode: 'non-blocking' }) })
        .container({ name: 'overrides', hostConfig: logging('syslog', { mode: 'non-blocking', 'cache-disabled': 'false' }) })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['inherits', 'warn', 'cacheDisabled'],
      ['overrides', 'pass', 'buffered'],
    ]);
    expect(findingFor(findings, 'inherits').message).toContain("cache-disabled=true in the daemon's log-opts");
  });

  it('passes a non-blocking remote driver with the local cache on, fluentd made asynchronous', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'fluent', hostConfig: logging('fluentd', { mode: 'non-blocking', 'fluentd-async': 'true', 'cache-disabled': 'false' }) })
        .container({ name: 'syslog', hostConfig: logging('syslog', { mode: 'non-blocking', 'max-buffer-size': '4m' }) })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['fluent', 'pass', 'buffered'],
      ['syslog', 'pass', 'buffered'],
    ]);
  });

  it('leaves journald persistence to a person and notes the none driver', () => {
    const findings = runRule(
      rule,
      snap().container({ name: 'journal', hostConfig: logging('journald') }).container({ name: 'silent', hostConfig: logging('none') }).build(),
    );
    expect(summary(findings)).toEqual([
      ['journal', 'manual', 'journald'],
      ['silent', 'info', 'noLogs'],
    ]);
  });
});

describe('DA557 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    logging:',
      '      driver: local',
      '      options:',
      '        max-file: "1"',
      '  plain:',
      '    image: app:1.0',
      '    logging:',
      '      driver: local',
      '      options:',
      '        max-file: "3"',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA557',
        alias: 'container-logs-not-lost',
        title: 'Container logs survive rotation and log-server outages',
        family: 'container',
        status: 'warn',
        severity: 'low',
        references: { cis: [], checklist: ['EXP-2'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'log driver local rotates at max-size=20m with max-file=1: each rotation discards the only file',
        messageId: 'singleFile',
        remediation: 'Keep at least two rotated files (max-file >= 2); for remote drivers leave the daemon\'s local cache on (no cache-disabled=true), set mode=non-blocking with a max-buffer-size, and fluentd-async=true for fluentd.',
      },
      {
        ruleId: 'DA557',
        alias: 'container-logs-not-lost',
        title: 'Container logs survive rotation and log-server outages',
        family: 'container',
        status: 'pass',
        severity: 'low',
        references: { cis: [], checklist: ['EXP-2'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 8, column: 3 },
        message: 'log driver local keeps 3 rotated files',
        messageId: 'rotated',
      },
    ]);
  });
});
