import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/daemon/DA210.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

describe('DA210 daemon-cgroup-parent', () => {
  it('passes the default parent of each cgroup driver, set or not', () => {
    const cgroupfs = findingFor(runRule(rule, snap().daemon({ settings: {} }).build()), 'dockerd');
    expect(cgroupfs).toMatchObject({ status: 'pass', messageId: 'default' });
    expect(cgroupfs.message).toContain('/docker (cgroupfs');
    const systemd = runRule(rule, snap().daemon({ info: { CgroupDriver: 'systemd' }, settings: { 'cgroup-parent': 'system.slice' } }).build());
    expect(summary(systemd)).toEqual([['dockerd', 'pass', 'default']]);
    const rootless = findingFor(
      runRule(rule, snap().daemon({ info: { CgroupDriver: 'systemd', SecurityOptions: ['name=rootless'] }, settings: {} }).build()),
      'dockerd',
    );
    expect(rootless.message).toContain('user.slice');
  });

  it('asks to confirm a custom parent and names it', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ settings: { 'cgroup-parent': '/batch' } }).build()), 'dockerd');
    expect(finding).toMatchObject({ ruleId: 'DA210', status: 'manual', messageId: 'custom' });
    expect(finding.message).toContain('cgroup-parent is /batch (daemon.json) instead of the default /docker');
  });

  it('is skipped when the daemon configuration is not visible', () => {
    expect(summary(runRule(rule, snap().daemon({ configUnavailable: 'the daemon is remote' }).build()))).toEqual([['dockerd', 'skipped', '__skipped']]);
  });
});
