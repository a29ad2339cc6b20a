import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA518.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';

describe('DA518 container-host-devices', () => {
  it('fails host disks and memory, naming them with their permissions', () => {
    const findings = runRule(
      rule,
      snap()
        .container({
          name: 'disk',
          state: 'created',
          hostConfig: {
            Devices: [
              { PathOnHost: '/dev/sda', PathInContainer: '/dev/xvda', CgroupPermissions: 'r' },
              { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' },
            ],
          },
        })
        .container({ name: 'rule', hostConfig: { DeviceCgroupRules: ['b *:* rwm'] } })
        .build(),
    );
    const disk = findingFor(findings, 'disk');
    expect(disk).toMatchObject({ status: 'fail', messageId: 'rawDevices' });
    expect(disk.message).toContain('/dev/sda -> /dev/xvda (r)');
    expect(disk.message).not.toContain('/dev/fuse');
    expect(disk.message).toContain('created');
    expect(findingFor(findings, 'rule')).toMatchObject({ status: 'fail', messageId: 'rawDevices' });
  });

  it('warns about other devices and asks that each be confirmed', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'fuse', hostConfig: { Devices: [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' }] } })
        .build(),
    );
    const fuse = findingFor(findings, 'fuse');
    expect(fuse).toMatchObject({ status: 'warn', messageId: 'devices', severity: 'medium' });
    expect(fuse.message).toContain('/dev/fuse (rwm)');
  });

  it('passes containers without devices and fails privileged ones', () => {
    const findings = runRule(rule, snap().container({ name: 'plain' }).container({ name: 'priv', hostConfig: { Privileged: true } }).build());
    expect(findingFor(findings, 'plain')).toMatchObject({ status: 'pass', messageId: 'none' });
    expect(findingFor(findings, 'priv')).toMatchObject({ status: 'fail', messageId: 'privileged' });
  });
});
