import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/host/DA154.js';
import { snap } from '../../helpers/builder.js';
import type { SystemdUnit } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

function unit(directives: Record<string, string>): SystemdUnit {
  return { name: 'docker.service', fragmentPath: '/lib/systemd/system/docker.service', dropIns: [], directives };
}

describe('DA154 docker-unit-tasks-max', () => {
  it('passes a finite TasksMax, a number or a percentage', () => {
    const finding = findingFor(runRule(rule, snap().host({ units: [unit({ TasksMax: '8192' })] }).build()), 'testhost');
    expect(finding).toMatchObject({ ruleId: 'DA154', status: 'pass', messageId: 'limited' });
    expect(finding.message).toBe('docker.service has TasksMax=8192');
    expect(summary(runRule(rule, snap().host({ units: [unit({ TasksMax: '20%' })] }).build()))).toEqual([['testhost', 'pass', 'limited']]);
  });

  it('warns TasksMax=infinity, as the stock unit sets it', () => {
    const finding = findingFor(runRule(rule, snap().host({ units: [unit({ TasksMax: 'infinity' })] }).build()), 'testhost');
    expect(finding).toMatchObject({ status: 'warn', messageId: 'unlimited', severity: 'low' });
    expect(finding.message).toContain('TasksMax=infinity');
  });

  it("warns an unset TasksMax and works out systemd's default from the kernel limits", () => {
    const snapshot = snap()
      .host({ units: [unit({})], sysctl: { 'kernel.pid_max': '4194304', 'kernel.threads-max': '126429' } })
      .build();
    const finding = findingFor(runRule(rule, snapshot), 'testhost');
    expect(finding).toMatchObject({ status: 'warn', messageId: 'unset' });
    expect(finding.message).toContain('15% of the kernel limit of 126429, about 18964 tasks');
    const unknown = findingFor(runRule(rule, snap().host({ units: [unit({})], sysctl: {} }).build()), 'testhost');
    expect(unknown.message).toContain("15% of the kernel's task limit");
  });

  it('is skipped when there is no docker.service unit', () => {
    expect(summary(runRule(rule, snap().host({ units: [] }).build()))).toEqual([['testhost', 'skipped', 'noUnit']]);
  });
});
