import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA524.js';
import { snap } from '../../helpers/builder.js';
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
    expect(message).toContain('by default: explicit-root, rooted;');
    expect(message).toContain('exec sessions open now: app (1)');
  });

  it('shortens long lists of containers', () => {
    const builder = snap();
    for (let index = 1; index <= 12; index += 1) builder.container({ name: `c${index}` });
    const findings = runRule(rule, builder.build());
    expect(findings[0]?.message).toContain('c7, 2 more;');
  });
});
