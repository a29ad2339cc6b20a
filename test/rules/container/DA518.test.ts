import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA518.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

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

describe('DA518 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    devices:',
      '      - /dev/sda:/dev/sda',
      '  plain:',
      '    image: app:1.0',
      '    devices:',
      '      - /dev/fuse:/dev/fuse',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA518',
        alias: 'container-host-devices',
        title: 'Host devices are not exposed to containers',
        family: 'container',
        status: 'fail',
        severity: 'high',
        references: { cis: ['5.18'], checklist: [] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'exposes host disks or memory: /dev/sda (rwm) (state: defined)',
        messageId: 'rawDevices',
        remediation: 'Remove --device (devices) and --device-cgroup-rule entries the workload does not need; where a device is needed, pass only that node with the fewest permissions (for example /dev/fuse:/dev/fuse:rw without m).',
      },
      {
        ruleId: 'DA518',
        alias: 'container-host-devices',
        title: 'Host devices are not exposed to containers',
        family: 'container',
        status: 'warn',
        severity: 'medium',
        references: { cis: ['5.18'], checklist: [] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 8, column: 5 },
        message: 'exposes host devices: /dev/fuse (rwm): confirm each is needed',
        messageId: 'devices',
        remediation: 'Remove --device (devices) and --device-cgroup-rule entries the workload does not need; where a device is needed, pass only that node with the fewest permissions (for example /dev/fuse:/dev/fuse:rw without m).',
      },
    ]);
  });
});
