import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/files/DA315.js';
import { snap } from '../../helpers/builder.js';
import type { FileFacts } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { absent, filesOf, present, unreadable } from './fixtures.js';

const PATH = '/run/docker.sock';

function host(main: FileFacts) {
  return snap().daemon({ settings: { hosts: ['unix:///run/docker.sock', 'tcp://127.0.0.1:2376'] } }).host({ files: filesOf(main) }).build();
}

describe('DA315 docker-sock-owner', () => {
  it('passes root:docker', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { type: 'socket', mode: 0o660, gid: 998, group: 'docker' }))), PATH);
    expect(finding).toMatchObject({ ruleId: 'DA315', status: 'pass', messageId: 'owned', subject: { kind: 'host', name: PATH } });
    expect(finding.message).toBe(`${PATH} is owned by root:docker`);
  });

  it('fails another owner, naming the actual and the expected owner', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { type: 'socket', mode: 0o660, gid: 1000, group: 'alice', uid: 1000, owner: 'alice' }))), PATH);
    expect(finding).toMatchObject({ ruleId: 'DA315', status: 'fail', messageId: 'wrongOwner', severity: 'high' });
    expect(finding.message).toBe(`${PATH} is owned by alice:alice, expected root:docker or root`);
  });

  it('is skipped, not passed, when the path is absent', () => {
    const finding = findingFor(runRule(rule, host(absent(PATH))), PATH);
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notPresent' });
    expect(finding.message).toBe(`${PATH} is not present`);
  });

  it('is skipped with the reason when the path could not be examined', () => {
    const finding = findingFor(runRule(rule, host(unreadable(PATH))), PATH);
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notSeen' });
    expect(finding.message).toBe(`${PATH} could not be examined: EACCES: permission denied`);
    const notExamined = findingFor(runRule(rule, host(present('/unrelated'))), PATH);
    expect(notExamined).toMatchObject({ status: 'skipped', messageId: 'notSeen' });
    expect(notExamined.message).toContain('did not examine');
  });

  it('is skipped when the host is not visible', () => {
    const findings = runRule(rule, snap().hostUnavailable('the host root /mnt/host is not mounted').build());
    expect(summary(findings)).toEqual([['testhost', 'skipped', '__skipped']]);
  });

  it('accepts the group the daemon is configured with, and root', () => {
    const custom = snap()
      .daemon({ settings: { group: 'dockeradm' } })
      .host({ files: filesOf(present('/var/run/docker.sock', { type: 'socket', mode: 0o660, gid: 990, group: 'dockeradm' })) })
      .build();
    expect(summary(runRule(rule, custom))).toEqual([['/var/run/docker.sock', 'pass', 'owned']]);
    const rootOnly = findingFor(runRule(rule, host(present(PATH, { type: 'socket', mode: 0o660 }))), PATH);
    expect(rootOnly).toMatchObject({ status: 'pass', messageId: 'owned' });
    const wrongGroup = snap()
      .daemon({ settings: { group: 'dockeradm' } })
      .host({ files: filesOf(present('/var/run/docker.sock', { type: 'socket', mode: 0o660, gid: 998, group: 'docker' })) })
      .build();
    expect(findingFor(runRule(rule, wrongGroup), '/var/run/docker.sock').message).toBe(
      '/var/run/docker.sock is owned by root:docker, expected root:dockeradm or root',
    );
  });

  it('finds the socket through /run when the default /var/run path is asked for', () => {
    const snapshot = snap()
      .daemon({ settings: {} })
      .host({ files: filesOf(present('/run/docker.sock', { type: 'socket', mode: 0o660, gid: 998, group: 'docker' })) })
      .build();
    expect(summary(runRule(rule, snapshot))).toEqual([['/run/docker.sock', 'pass', 'owned']]);
  });

  it('resolves fd:// through the docker.socket unit', () => {
    const snapshot = snap()
      .daemon({ settings: { hosts: ['fd://'] } })
      .host({
        units: [{ name: 'docker.socket', fragmentPath: '/lib/systemd/system/docker.socket', dropIns: [], directives: { ListenStream: '/run/custom.sock' } }],
        files: filesOf(present('/run/custom.sock', { type: 'socket', mode: 0o666, gid: 998, group: 'docker' })),
      })
      .build();
    expect(summary(runRule(rule, snapshot))).toEqual([['/run/custom.sock', 'pass', 'owned']]);
  });

  it('is skipped when the daemon listens on TCP only', () => {
    const snapshot = snap().daemon({ settings: { hosts: ['tcp://0.0.0.0:2376'] } }).host({ files: {} }).build();
    const finding = findingFor(runRule(rule, snapshot), 'dockerd');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'noUnixSocket' });
    expect(finding.message).toBe('the daemon listens on no unix socket (hosts: tcp://0.0.0.0:2376)');
  });

  it('checks the socket dockaudit connected to when the daemon configuration is not visible', () => {
    const snapshot = snap()
      .daemon({ configUnavailable: 'the daemon is remote' })
      .with((s) => {
        s.target.dockerHost = 'unix:///srv/docker.sock';
      })
      .host({ files: filesOf(present('/srv/docker.sock', { type: 'socket', mode: 0o660, gid: 998, group: 'docker' })) })
      .build();
    expect(summary(runRule(rule, snapshot))).toEqual([['/srv/docker.sock', 'pass', 'owned']]);
  });
});
