import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/daemon/DA211.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

const DEVICEMAPPER = { Driver: 'devicemapper', DriverStatus: [['Pool Name', 'docker-thinpool'], ['Base Device Size', '10.74GB']] };

describe('DA211 daemon-base-device-size', () => {
  it('passes other storage drivers from info alone', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ configUnavailable: 'the daemon is remote' }).build()), 'dockerd');
    expect(finding).toMatchObject({ status: 'pass', messageId: 'notDevicemapper' });
    expect(finding.message).toContain('overlay2');
  });

  it('passes devicemapper at its default base size', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ info: DEVICEMAPPER, settings: { 'storage-opts': ['dm.thinpooldev=/dev/mapper/thin'] } }).build()), 'dockerd');
    expect(finding).toMatchObject({ status: 'pass', messageId: 'unchanged' });
    expect(finding.message).toContain('10.74GB');
  });

  it('warns about a changed base size and names the option', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ info: DEVICEMAPPER, settings: { 'storage-opts': ['dm.basesize=50G'] } }).build()), 'dockerd');
    expect(finding).toMatchObject({ ruleId: 'DA211', status: 'warn', messageId: 'changed' });
    expect(finding.message).toContain('dm.basesize=50G (daemon.json)');
  });

  it('is skipped for devicemapper when the configuration is not visible, with the size it reports', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ info: DEVICEMAPPER, configUnavailable: 'the daemon is remote' }).build()), 'dockerd');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notSeen' });
    expect(finding.message).toContain('10.74GB');
    expect(finding.message).toContain('the daemon is remote');
  });

  it('is skipped when info does not name the driver', () => {
    expect(summary(runRule(rule, snap().daemon({ info: { Driver: '' } }).build()))).toEqual([['dockerd', 'skipped', 'notReported']]);
  });
});
