import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA529.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';

describe('DA529 container-pids-limit', () => {
  it('fails an unset, zero or negative PIDs limit and passes a positive one', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'unset', state: 'created' })
        .container({ name: 'minus', hostConfig: { PidsLimit: -1 } })
        .container({ name: 'bounded', hostConfig: { PidsLimit: 200 } })
        .build(),
    );
    const unset = findingFor(findings, 'unset');
    expect(unset).toMatchObject({ status: 'fail', messageId: 'unlimited' });
    expect(unset.message).toContain('created');
    expect(findingFor(findings, 'minus')).toMatchObject({ status: 'fail', messageId: 'unlimited' });
    const bounded = findingFor(findings, 'bounded');
    expect(bounded).toMatchObject({ status: 'pass', messageId: 'limited' });
    expect(bounded.message).toContain('200');
  });
});
