import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA519.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';

describe('DA519 container-ulimits', () => {
  it('asks a person to confirm per-container ulimits, naming them', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'tuned', hostConfig: { Ulimits: [{ Name: 'nofile', Soft: 65536, Hard: 65536 }, { Name: 'core', Soft: -1, Hard: -1 }] } })
        .container({ name: 'plain' })
        .build(),
    );
    const tuned = findingFor(findings, 'tuned');
    expect(tuned).toMatchObject({ status: 'manual', messageId: 'overridden' });
    expect(tuned.message).toContain('nofile=65536:65536, core=unlimited:unlimited');
    expect(findingFor(findings, 'plain')).toMatchObject({ status: 'pass', messageId: 'defaults' });
  });
});
