import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA525.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';

describe('DA525 container-cgroup-parent', () => {
  it('asks a person to confirm a custom cgroup parent, naming it, and passes the default', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'custom', hostConfig: { CgroupParent: '/batch.slice' } })
        .container({ name: 'plain' })
        .build(),
    );
    const custom = findingFor(findings, 'custom');
    expect(custom).toMatchObject({ status: 'manual', messageId: 'custom' });
    expect(custom.message).toContain('/batch.slice');
    expect(findingFor(findings, 'plain')).toMatchObject({ status: 'pass', messageId: 'default' });
  });
});
