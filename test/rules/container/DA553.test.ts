import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA553.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA553 container-oom-settings', () => {
  it('fails the OOM killer disabled without a memory limit, at high severity', () => {
    const findings = runRule(rule, snap().container({ name: 'hang', hostConfig: { OomKillDisable: true } }).build());
    expect(findingFor(findings, 'hang')).toMatchObject({ status: 'fail', messageId: 'disabledWithoutLimit', severity: 'high' });
  });

  it('lists a negative OOM score adjustment as a low-severity warning, with its value', () => {
    const findings = runRule(rule, snap().container({ name: 'shielded', hostConfig: { OomScoreAdj: -500 } }).build());
    const finding = findingFor(findings, 'shielded');
    expect(finding).toMatchObject({ status: 'warn', messageId: 'negativeScore', severity: 'low' });
    expect(finding.message).toContain('-500');
  });

  it('reports both problems of one container separately', () => {
    const findings = runRule(rule, snap().container({ name: 'both', hostConfig: { OomKillDisable: true, OomScoreAdj: -1000 } }).build());
    expect(summary(findings)).toEqual([
      ['both', 'fail', 'disabledWithoutLimit'],
      ['both', 'warn', 'negativeScore'],
    ]);
  });

  it('passes the defaults, a positive score, and the OOM killer disabled inside a memory limit', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'plain' })
        .container({ name: 'expendable', hostConfig: { OomScoreAdj: 500 } })
        .container({ name: 'limited', hostConfig: { OomKillDisable: true, Memory: 268435456 } })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['expendable', 'pass', 'defaults'],
      ['limited', 'pass', 'disabledWithLimit'],
      ['plain', 'pass', 'defaults'],
    ]);
    expect(findingFor(findings, 'limited').message).toContain('268435456');
  });
});

describe('DA553 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    oom_kill_disable: true',
      '  plain:',
      '    image: app:1.0',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA553',
        alias: 'container-oom-settings',
        title: 'Out-of-memory handling is not weakened',
        family: 'container',
        status: 'fail',
        severity: 'high',
        references: { cis: [], checklist: ['PERF-4'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'OOM killer disabled (oom-kill-disable) without a memory limit: running out of memory can hang the host',
        messageId: 'disabledWithoutLimit',
        remediation: 'Only use --oom-kill-disable together with --memory; leave --oom-score-adj at 0 (or positive) unless the container must outlive everything else on the host.',
      },
      {
        ruleId: 'DA553',
        alias: 'container-oom-settings',
        title: 'Out-of-memory handling is not weakened',
        family: 'container',
        status: 'pass',
        severity: 'high',
        references: { cis: [], checklist: ['PERF-4'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 5, column: 3 },
        message: 'OOM killer enabled, OOM score adjustment 0',
        messageId: 'defaults',
      },
    ]);
  });
});
