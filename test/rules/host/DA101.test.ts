import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/host/DA101.js';
import { snap } from '../../helpers/builder.js';
import type { MountEntry } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { filesOf, present } from './helpers.js';

const ROOT: MountEntry = { mountPoint: '/', source: '/dev/vda1', fsType: 'ext4', options: 'rw,relatime', device: '254:1', fsRoot: '/' };

function build(mounts: MountEntry[] | string, dataRoot = '/var/lib/docker', files = filesOf(present(dataRoot, { type: 'directory' }))) {
  return snap()
    .daemon({ info: { DockerRootDir: dataRoot } })
    .host({ mounts: typeof mounts === 'string' ? { unavailable: true, reason: mounts } : mounts, files })
    .build();
}

describe('DA101 data-root-partition', () => {
  it('passes a data root that is a filesystem of its own', () => {
    const own: MountEntry = { mountPoint: '/var/lib/docker', source: '/dev/mapper/vg-docker', fsType: 'xfs', options: 'rw', device: '253:2', fsRoot: '/' };
    const finding = findingFor(runRule(rule, build([ROOT, own])), '/var/lib/docker');
    expect(finding).toMatchObject({ ruleId: 'DA101', status: 'pass', messageId: 'ownMount' });
    expect(finding.message).toBe('the data root /var/lib/docker is a filesystem of its own: /dev/mapper/vg-docker, xfs');
  });

  it('fails a data root on the root filesystem', () => {
    const finding = findingFor(runRule(rule, build([ROOT, { ...ROOT, mountPoint: '/boot', device: '254:2' }])), '/var/lib/docker');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'onRoot' });
    expect(finding.message).toContain('/dev/vda1, ext4');
  });

  it('fails a bind mount of a directory of the root filesystem, which a mount-point test would pass', () => {
    const bind: MountEntry = { mountPoint: '/var/lib/docker', source: '/dev/vda1', fsType: 'ext4', options: 'rw', device: '254:1', fsRoot: '/var/lib/docker' };
    const finding = findingFor(runRule(rule, build([ROOT, bind])), '/var/lib/docker');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'sharesRoot' });
    expect(finding.message).toContain('from /dev/vda1 (its /var/lib/docker), ext4');
    const fstabBind: MountEntry = { mountPoint: '/var/lib/docker', source: '/srv/docker', fsType: 'none', options: 'bind' };
    const configured = [{ mountPoint: '/', source: 'UUID=1', fsType: 'ext4', options: 'defaults' }, fstabBind];
    expect(findingFor(runRule(rule, build(configured)), '/var/lib/docker')).toMatchObject({ status: 'fail', messageId: 'sharesRoot' });
  });

  it('warns when the data root shares a separate filesystem with other data', () => {
    const variable: MountEntry = { mountPoint: '/var', source: '/dev/vda3', fsType: 'ext4', options: 'rw', device: '254:3', fsRoot: '/' };
    expect(summary(runRule(rule, build([ROOT, variable])))).toEqual([['/var/lib/docker', 'warn', 'sharedMount']]);
  });

  it('checks the data root the daemon reports, through links, and the parent of a remapped root', () => {
    const data: MountEntry = { mountPoint: '/data', source: '/dev/sdb1', fsType: 'xfs', options: 'rw', device: '8:17', fsRoot: '/' };
    const moved = build([ROOT, data], '/data/docker');
    expect(findingFor(runRule(rule, moved), '/data/docker')).toMatchObject({ status: 'warn', messageId: 'sharedMount' });
    const linked = build([ROOT, { ...data, mountPoint: '/data/docker' }], '/var/lib/docker', filesOf(present('/var/lib/docker', { type: 'symlink', realPath: '/data/docker' })));
    const finding = findingFor(runRule(rule, linked), '/var/lib/docker');
    expect(finding).toMatchObject({ status: 'pass', messageId: 'ownMount' });
    expect(finding.message).toContain('/var/lib/docker (/data/docker)');
    const remapped = build([ROOT, { ...data, mountPoint: '/var/lib/docker' }], '/var/lib/docker/100000.100000');
    expect(summary(runRule(rule, remapped))).toEqual([['/var/lib/docker', 'pass', 'ownMount']]);
  });

  it('is skipped with the reason when the mount table is not visible', () => {
    const finding = findingFor(runRule(rule, build('/proc/self/mountinfo: permission denied (EACCES)')), '/var/lib/docker');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notVisible' });
    expect(finding.message).toContain('permission denied');
    expect(summary(runRule(rule, snap().daemon({ info: { DockerRootDir: '' } }).host({}).build()))).toEqual([['testhost', 'skipped', 'notVisible']]);
  });
});
