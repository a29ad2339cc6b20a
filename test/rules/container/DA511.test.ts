import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA511.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';

describe('DA511 container-memory-limit', () => {
  it('fails a container without a memory limit and passes one with a limit, naming it', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'open', state: 'created' })
        .container({ name: 'bounded', hostConfig: { Memory: 256 * 1024 * 1024 } })
        .container({ name: 'odd', hostConfig: { Memory: 1536 * 1024 * 1024 } })
        .build(),
    );
    const open = findingFor(findings, 'open');
    expect(open).toMatchObject({ status: 'fail', messageId: 'unlimited' });
    expect(open.message).toContain('created');
    const bounded = findingFor(findings, 'bounded');
    expect(bounded).toMatchObject({ status: 'pass', messageId: 'limited' });
    expect(bounded.message).toContain('256 MiB');
    expect(findingFor(findings, 'odd').message).toContain('1.5 GiB');
  });
});
