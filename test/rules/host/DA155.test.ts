import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/host/DA155.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

function host(sysctl: Record<string, string>) {
  return snap().host({ sysctl }).build();
}

describe('DA155 host-oom-behaviour', () => {
  it('passes panic_on_oom=0 and shows the overcommit policy', () => {
    const finding = findingFor(runRule(rule, host({ 'vm.panic_on_oom': '0', 'vm.overcommit_memory': '1' })), 'testhost');
    expect(finding).toMatchObject({ ruleId: 'DA155', status: 'pass', messageId: 'killsProcess' });
    expect(finding.message).toBe(
      'vm.panic_on_oom=0, the OOM killer ends a process; vm.overcommit_memory=1 (always overcommit: allocations never fail, the OOM killer acts instead)',
    );
  });

  it('warns panic_on_oom=1: a host-wide out-of-memory takes every container down', () => {
    const finding = findingFor(runRule(rule, host({ 'vm.panic_on_oom': '1', 'vm.overcommit_memory': '0' })), 'testhost');
    expect(finding).toMatchObject({ status: 'warn', messageId: 'panicsOnSystemOom' });
    expect(finding.message).toContain('vm.overcommit_memory=0 (heuristic overcommit, the default)');
  });

  it('fails panic_on_oom=2: one container reaching its own limit panics the host', () => {
    const finding = findingFor(runRule(rule, host({ 'vm.panic_on_oom': '2' })), 'testhost');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'panicsAlways', severity: 'medium' });
    expect(finding.message).toContain('vm.overcommit_memory=not read');
  });

  it('is skipped when panic_on_oom was not read', () => {
    expect(summary(runRule(rule, host({ 'vm.overcommit_memory': '0' })))).toEqual([['testhost', 'skipped', 'notSeen']]);
  });
});
