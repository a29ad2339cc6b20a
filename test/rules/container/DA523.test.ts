import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA523.js';
import { snap } from '../../helpers/builder.js';
import { runRule, summary } from '../../helpers/rule-tester.js';

describe('DA523 exec-privileged', () => {
  it('reports one manual check for the host, naming containers with open exec sessions', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'busy' })
        .container({ name: 'idle' })
        .with((snapshot) => {
          if (Array.isArray(snapshot.containers) && snapshot.containers[0]) snapshot.containers[0].inspect['ExecIDs'] = ['e1', 'e2'];
        })
        .build(),
    );
    expect(summary(findings)).toEqual([['dockerd', 'manual', 'review']]);
    expect(findings[0]?.message).toContain('busy (2)');
    expect(findings[0]?.message).not.toContain('idle');
  });

  it('still asks for the review when no exec session is open', () => {
    const findings = runRule(rule, snap().container({ name: 'idle' }).build());
    expect(summary(findings)).toEqual([['dockerd', 'manual', 'review']]);
    expect(findings[0]?.message).toContain('exec sessions open now: none');
  });
});
