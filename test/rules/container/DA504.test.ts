import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA504.js';
import { snap } from '../../helpers/builder.js';
import { runRule, summary } from '../../helpers/rule-tester.js';

describe('DA504 container-capabilities', () => {
  it('fails dangerous added capabilities, whatever their spelling, and warns about the missing drop', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'admin', state: 'exited', hostConfig: { CapAdd: ['cap_sys_admin', 'NET_BIND_SERVICE', 'CAP_SYS_PTRACE'] } })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['admin', 'fail', 'dangerousAdded'],
      ['admin', 'warn', 'noDropAll'],
    ]);
    const [dangerous, noDrop] = findings;
    expect(dangerous?.message).toContain('SYS_ADMIN, SYS_PTRACE');
    expect(dangerous?.message).not.toContain('NET_BIND_SERVICE');
    expect(dangerous?.message).toContain('exited');
    expect(noDrop?.severity).toBe('low');
  });

  it('fails ALL even when everything was dropped first', () => {
    const findings = runRule(rule, snap().container({ name: 'all', hostConfig: { CapDrop: ['ALL'], CapAdd: ['ALL'] } }).build());
    expect(summary(findings)).toEqual([['all', 'fail', 'dangerousAdded']]);
    expect(findings[0]?.message).toContain('ALL');
  });

  it('warns about a default container that keeps the default set', () => {
    const findings = runRule(rule, snap().container({ name: 'plain' }).build());
    expect(summary(findings)).toEqual([['plain', 'warn', 'noDropAll']]);
    expect(findings[0]?.message).toContain('keeps the default set (dropped: none)');
  });

  it('passes drop ALL with harmless additions, naming them', () => {
    const findings = runRule(rule, snap().container({ name: 'tight', hostConfig: { CapDrop: ['all'], CapAdd: ['NET_BIND_SERVICE'] } }).build());
    expect(summary(findings)).toEqual([['tight', 'pass', 'restricted']]);
    expect(findings[0]?.message).toContain('NET_BIND_SERVICE');
  });

  it('fails a privileged container once', () => {
    const findings = runRule(rule, snap().container({ name: 'priv', hostConfig: { Privileged: true } }).build());
    expect(summary(findings)).toEqual([['priv', 'fail', 'privileged']]);
  });
});
