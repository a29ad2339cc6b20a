import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/host/DA102.js';
import { snap } from '../../helpers/builder.js';
import type { GroupEntry, UserEntry } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { filesOf, present } from './helpers.js';

const USERS: UserEntry[] = [
  { name: 'root', uid: 0, gid: 0, home: '/root', shell: '/bin/bash' },
  { name: 'alice', uid: 1000, gid: 1000, home: '/home/alice', shell: '/bin/bash' },
  { name: 'bob', uid: 1001, gid: 1001, home: '/home/bob', shell: '/bin/zsh' },
  { name: 'deploy', uid: 1002, gid: 105, home: '/srv/deploy', shell: '/usr/sbin/nologin' },
];

function groups(docker: string[], staff: string[] = []): GroupEntry[] {
  return [
    { name: 'root', gid: 0, members: [] },
    { name: 'docker', gid: 105, members: docker },
    { name: 'staff', gid: 50, members: staff },
  ];
}

const SOCKET = '/var/run/docker.sock';

function build(groupList: GroupEntry[], socket: { gid?: number; group?: string; mode?: number } = {}, users = USERS) {
  return snap()
    .host({
      users,
      groups: groupList,
      files: filesOf(present(SOCKET, { type: 'socket', gid: socket.gid ?? 105, group: socket.group ?? 'docker', mode: socket.mode ?? 0o660 })),
    })
    .build();
}

describe('DA102 docker-group-members', () => {
  it('passes when only root can use the socket', () => {
    const noPrimary = USERS.filter((user) => user.name !== 'deploy');
    const finding = findingFor(runRule(rule, build(groups([]), {}, noPrimary)), 'testhost');
    expect(finding).toMatchObject({ ruleId: 'DA102', status: 'pass', messageId: 'onlyRoot' });
    expect(finding.message).toBe('only root can use the daemon socket: /var/run/docker.sock (root:docker 0660); group docker has no members');
  });

  it('lists members by name, primary-group members included, for a person to confirm', () => {
    const finding = findingFor(runRule(rule, build(groups(['alice']))), 'testhost');
    expect(finding).toMatchObject({ status: 'manual', messageId: 'members' });
    expect(finding.message).toContain('2 users control the daemon');
    expect(finding.message).toContain('alice (group docker), deploy (group docker)');
  });

  it('decides with a trusted list: passes when all are in it, fails naming the others', () => {
    expect(summary(runRule(rule, build(groups(['alice'])), { trustedUsers: ['alice', 'deploy'] }))).toEqual([['testhost', 'pass', 'trusted']]);
    const findings = runRule(rule, build(groups(['alice', 'bob'])), { trustedUsers: ['alice', 'deploy'] });
    const finding = findings.find((candidate) => candidate.messageId === 'untrusted');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'untrusted' });
    expect(finding?.message).toContain('users outside the trusted list control the daemon, which amounts to root on this host: bob (all:');
  });

  it('counts the members of another group that owns the socket, when that group may write to it', () => {
    const writable = findingFor(runRule(rule, build(groups([], ['bob']), { gid: 50, group: 'staff' })), 'testhost');
    expect(writable.message).toContain('bob (group staff)');
    const readOnly = findingFor(runRule(rule, build(groups([], ['bob']), { gid: 50, group: 'staff', mode: 0o640 })), 'testhost');
    expect(readOnly.message).not.toContain('bob');
  });

  it('fails a socket every user can write to, at critical severity', () => {
    const findings = runRule(rule, build(groups([]), { mode: 0o666 }));
    const world = findings.find((finding) => finding.messageId === 'worldWritable');
    expect(world).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(world?.message).toBe('every user of this host can control the daemon: the socket /var/run/docker.sock (root:docker 0666) is writable by others');
  });

  it('fails when every login user is in the group that owns the socket', () => {
    const findings = runRule(rule, build(groups(['alice', 'bob'])));
    expect(summary(findings)).toEqual([
      ['testhost', 'fail', 'everyone'],
      ['testhost', 'manual', 'members'],
    ]);
    expect(findings[0]?.message).toBe('every login user of this host (2) is in group docker, which may write to the daemon socket');
  });

  it('follows the sockets and the group the daemon is configured with', () => {
    const snapshot = snap()
      .daemon({ settings: { hosts: ['unix:///srv/run/docker.sock', 'tcp://127.0.0.1:2375'], group: 'dockerops' } })
      .host({
        users: USERS,
        groups: [...groups(['alice']), { name: 'dockerops', gid: 300, members: ['bob'] }],
        files: filesOf(present('/srv/run/docker.sock', { type: 'socket', gid: 300, group: 'dockerops', mode: 0o660 })),
      })
      .build();
    const finding = findingFor(runRule(rule, snapshot), 'testhost');
    expect(finding.message).toContain('bob (group dockerops)');
    expect(finding.message).not.toContain('alice');
    expect(finding.message).toContain('/srv/run/docker.sock (root:dockerops 0660)');
  });

  it('is skipped with the reason when the groups are not visible', () => {
    const snapshot = snap().host({ groups: { unavailable: true, reason: '/etc/group: permission denied (EACCES)' } }).build();
    const finding = findingFor(runRule(rule, snapshot), 'testhost');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notVisible' });
    expect(finding.message).toContain('permission denied');
  });
});
