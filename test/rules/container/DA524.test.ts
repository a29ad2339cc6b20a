import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA524.js';
import { snap } from '../../../src/snapshot/builder.js';
import { runRule, summary } from '../../helpers/rule-tester.js';

describe('DA524 exec-user-root', () => {
  it('reports one manual check, naming the containers where exec enters as root by default', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'rooted' })
        .container({ name: 'explicit-root', config: { User: '0:0' } })
        .container({ name: 'app', config: { User: 'app' } })
        .with((snapshot) => {
          if (Array.isArray(snapshot.containers) && snapshot.containers[2]) snapshot.containers[2].inspect['ExecIDs'] = ['e1'];
        })
        .build(),
    );
    expect(summary(findings)).toEqual([['dockerd', 'manual', 'review']]);
    const message = findings[0]?.message ?? '';
    expect(message).toContain('by default: rooted, explicit-root;');
    expect(message).toContain('exec sessions open now: app (1)');
  });
});
