import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/inventory/DA602.js';
import { snap } from '../../helpers/builder.js';
import { runRule, summary } from '../../helpers/rule-tester.js';

const inventory = () =>
  snap()
    .container({ name: 'a' })
    .container({ name: 'b' })
    .container({ name: 'c', state: 'exited' })
    .container({ name: 'd', state: 'created' })
    .container({ name: 'e', state: 'paused' })
    .container({ name: 'f', state: 'dead' });

describe('DA602 inventory-container-sprawl', () => {
  it('counts containers by state, as info below the threshold', () => {
    const findings = runRule(rule, inventory().build());
    expect(summary(findings)).toEqual([['docker', 'info', 'counts']]);
    expect(findings[0]?.message).toBe('6 containers (1 created, 1 dead, 1 exited, 1 paused, 2 running): 3 stopped');
  });

  it('warns when stopped containers exceed the threshold', () => {
    const findings = runRule(rule, inventory().build(), { maxStoppedContainers: 2 });
    expect(summary(findings)).toEqual([['docker', 'warn', 'sprawl']]);
    expect(findings[0]?.message).toContain('3 stopped, more than 2');
  });

  it('reports an empty host', () => {
    const findings = runRule(rule, snap().build());
    expect(findings[0]?.message).toBe('0 containers (none): 0 stopped');
  });
});
