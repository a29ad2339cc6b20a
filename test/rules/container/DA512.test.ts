import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA512.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA512 container-cpu-priority', () => {
  it('fails no CPU setting, and the default weight of 1024 counts as none', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'open' })
        .container({ name: 'default-weight', hostConfig: { CpuShares: 1024 } })
        .build(),
    );
    expect(findingFor(findings, 'open')).toMatchObject({ status: 'fail', messageId: 'unbounded' });
    expect(findingFor(findings, 'default-weight')).toMatchObject({ status: 'fail', messageId: 'unbounded' });
  });

  it('passes a cap, a weight or a CPU set, naming them', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'capped', hostConfig: { NanoCpus: 1_500_000_000 } })
        .container({ name: 'weighted', hostConfig: { CpuShares: 512, CpusetCpus: '0,1' } })
        .build(),
    );
    const capped = findingFor(findings, 'capped');
    expect(capped).toMatchObject({ status: 'pass', messageId: 'bounded' });
    expect(capped.message).toContain('cpus 1.5');
    expect(findingFor(findings, 'weighted').message).toContain('cpu-shares 512, cpuset-cpus 0,1');
  });
});

describe('DA512 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    cpu_shares: 1024',
      '  plain:',
      '    image: app:1.0',
      '    cpus: 0.5',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA512',
        alias: 'container-cpu-priority',
        title: 'Container CPU use is bounded or weighted',
        family: 'container',
        status: 'fail',
        severity: 'low',
        references: { cis: ['5.12'], checklist: ['PERF-6'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'has no CPU limit, weight or CPU set (state: defined)',
        messageId: 'unbounded',
        remediation: 'Give the container a CPU cap (--cpus 1.5, deploy.resources.limits.cpus), a relative weight (--cpu-shares 512) or a CPU set (--cpuset-cpus 0,1).',
      },
      {
        ruleId: 'DA512',
        alias: 'container-cpu-priority',
        title: 'Container CPU use is bounded or weighted',
        family: 'container',
        status: 'pass',
        severity: 'low',
        references: { cis: ['5.12'], checklist: ['PERF-6'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 5, column: 3 },
        message: 'CPU use bounded: cpus 0.5',
        messageId: 'bounded',
      },
    ]);
  });
});
