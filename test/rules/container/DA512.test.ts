import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA512.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';

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
