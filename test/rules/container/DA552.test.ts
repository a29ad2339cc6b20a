import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA552.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

const withRunc = (version: string) => ({
  Components: [
    { Name: 'Engine', Version: '19.03.15' },
    { Name: 'runc', Version: version },
  ],
});

describe('DA552 container-kernel-memory', () => {
  it('reports cgroup v2 as not applicable, with the reason, never as a pass', () => {
    const findings = runRule(
      rule,
      snap()
        .daemon({ info: { CgroupVersion: '2' }, version: withRunc('1.0.0-rc10') })
        .container({ name: 'app' })
        .container({ name: 'capped', hostConfig: { KernelMemory: 67108864 } })
        .build(),
    );
    expect(findingFor(findings, 'app')).toMatchObject({ status: 'info', messageId: 'notApplicable' });
    expect(findingFor(findings, 'app').message).toContain('cgroup v2');
    expect(findingFor(findings, 'capped').message).toContain('67108864 bytes have no effect');
  });

  it('reports the limit as not applicable on cgroup v1 when runc ignores it (the default test daemon runs runc 1.1.5)', () => {
    const findings = runRule(rule, snap().container({ name: 'app' }).build());
    expect(findingFor(findings, 'app')).toMatchObject({ status: 'info', messageId: 'notApplicable' });
    expect(findingFor(findings, 'app').message).toContain('runc 1.1.5 ignores kernel memory limits');
    const rc94 = runRule(rule, snap().daemon({ version: withRunc('1.0.0-rc94') }).container({ name: 'app' }).build());
    expect(summary(rc94)).toEqual([['app', 'info', 'notApplicable']]);
  });

  it('on cgroup v1 with an older runc, passes a set limit and warns about a missing one, saying it is deprecated', () => {
    const findings = runRule(
      rule,
      snap()
        .daemon({ info: { CgroupVersion: '1' }, version: withRunc('1.0.0-rc93') })
        .container({ name: 'capped', hostConfig: { KernelMemory: 67108864 } })
        .container({ name: 'open' })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['open', 'warn', 'unset'],
      ['capped', 'pass', 'set'],
    ]);
    expect(findingFor(findings, 'open').message).toContain('deprecated since Docker 20.10');
  });

  it('treats a daemon that reports no cgroup version (before API 1.41) as cgroup v1', () => {
    const findings = runRule(rule, snap().daemon({ info: { CgroupVersion: undefined }, version: withRunc('1.0.0-rc10') }).container({ name: 'old' }).build());
    expect(summary(findings)).toEqual([['old', 'warn', 'unset']]);
  });

  it('is skipped when the daemon could not be read', () => {
    const findings = runRule(rule, snap().daemonUnavailable('permission denied').build());
    expect(summary(findings)).toEqual([['*', 'skipped', '__skipped']]);
  });
});

describe('DA552 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '  plain:',
      '    image: app:1.0',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA552',
        alias: 'container-kernel-memory',
        title: 'Kernel memory limit, where the platform still enforces one',
        family: 'container',
        status: 'info',
        severity: 'low',
        references: { cis: [], checklist: ['PERF-3'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 4, column: 3 },
        message: 'not applicable: runc 1.1.5 ignores kernel memory limits (since 1.0.0-rc94, on cgroup v1 too); the setting is deprecated since Docker 20.10',
        messageId: 'notApplicable',
      },
      {
        ruleId: 'DA552',
        alias: 'container-kernel-memory',
        title: 'Kernel memory limit, where the platform still enforces one',
        family: 'container',
        status: 'info',
        severity: 'low',
        references: { cis: [], checklist: ['PERF-3'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 2, column: 3 },
        message: 'not applicable: runc 1.1.5 ignores kernel memory limits (since 1.0.0-rc94, on cgroup v1 too); the setting is deprecated since Docker 20.10',
        messageId: 'notApplicable',
      },
    ]);
  });
});
