import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/files/DA316.js';
import { snap } from '../../helpers/builder.js';
import type { FileFacts } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { absent, filesOf, present, unreadable } from './fixtures.js';

const PATH = '/run/docker.sock';

function host(main: FileFacts) {
  return snap().daemon({ settings: { hosts: ['unix:///run/docker.sock', 'tcp://127.0.0.1:2376'] } }).host({ files: filesOf(main) }).build();
}

describe('DA316 docker-sock-mode', () => {
  it('passes 0660 and stricter modes', () => {
    const exact = findingFor(runRule(rule, host(present(PATH, { type: 'socket', mode: 0o660, gid: 998, group: 'docker' }))), PATH);
    expect(exact).toMatchObject({ ruleId: 'DA316', status: 'pass', messageId: 'modeOk', subject: { kind: 'host', name: PATH } });
    expect(exact.message).toBe(`${PATH} has mode 0660, within 0660`);
    expect(findingFor(runRule(rule, host(present(PATH, { type: 'socket', mode: 0o600, gid: 998, group: 'docker' }))), PATH)).toMatchObject({ status: 'pass', messageId: 'modeOk' });
  });

  it('fails a mode granting more, naming the mode and the extra bits', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { type: 'socket', mode: 0o666, gid: 998, group: 'docker' }))), PATH);
    expect(finding).toMatchObject({ ruleId: 'DA316', status: 'fail', messageId: 'tooOpen', severity: 'high' });
    expect(finding.message).toBe(`${PATH} has mode 0666, expected 0660 or stricter (extra: others read, others write)`);
  });

  it('fails setuid, setgid and sticky bits, which no allowed mode includes', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { type: 'socket', mode: 0o4660, gid: 998, group: 'docker' }))), PATH);
    expect(finding).toMatchObject({ status: 'fail', messageId: 'tooOpen' });
    expect(finding.message).toContain('(extra: setuid)');
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

  it('finds the socket through /run when the default /var/run path is asked for', () => {
    const snapshot = snap()
      .daemon({ settings: {} })
      .host({ files: filesOf(present('/run/docker.sock', { type: 'socket', mode: 0o660, gid: 998, group: 'docker' })) })
      .build();
    expect(summary(runRule(rule, snapshot))).toEqual([['/run/docker.sock', 'pass', 'modeOk']]);
  });

  it('resolves fd:// through the docker.socket unit', () => {
    const snapshot = snap()
      .daemon({ settings: { hosts: ['fd://'] } })
      .host({
        units: [{ name: 'docker.socket', fragmentPath: '/lib/systemd/system/docker.socket', dropIns: [], directives: { ListenStream: '/run/custom.sock' } }],
        files: filesOf(present('/run/custom.sock', { type: 'socket', mode: 0o666, gid: 998, group: 'docker' })),
      })
      .build();
    expect(summary(runRule(rule, snapshot))).toEqual([['/run/custom.sock', 'fail', 'tooOpen']]);
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
    expect(summary(runRule(rule, snapshot))).toEqual([['/srv/docker.sock', 'pass', 'modeOk']]);
  });
});
