import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/files/DA324.js';
import { snap } from '../../helpers/builder.js';
import type { FileFacts } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { ALICE, absent, filesOf, present, unreadable } from './fixtures.js';

const PATH = '/run/containerd/containerd.sock';

function host(main: FileFacts) {
  return snap().host({ files: filesOf(main) }).build();
}

describe('DA324 containerd-sock-mode', () => {
  it('passes 0660 and stricter modes', () => {
    const exact = findingFor(runRule(rule, host(present(PATH, { type: 'socket', mode: 0o660 }))), PATH);
    expect(exact).toMatchObject({ ruleId: 'DA324', status: 'pass', messageId: 'modeOk', subject: { kind: 'host', name: PATH } });
    expect(exact.message).toBe(`${PATH} has mode 0660, within 0660`);
    expect(findingFor(runRule(rule, host(present(PATH, { type: 'socket', mode: 0o600 }))), PATH)).toMatchObject({ status: 'pass', messageId: 'modeOk' });
  });

  it('fails a mode granting more, naming the mode and the extra bits', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { type: 'socket', mode: 0o666 }))), PATH);
    expect(finding).toMatchObject({ ruleId: 'DA324', status: 'fail', messageId: 'tooOpen', severity: 'high' });
    expect(finding.message).toBe(`${PATH} has mode 0666, expected 0660 or stricter (extra: others read, others write)`);
  });

  it('fails setuid, setgid and sticky bits, which no allowed mode includes', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { type: 'socket', mode: 0o4660 }))), PATH);
    expect(finding).toMatchObject({ status: 'fail', messageId: 'tooOpen' });
    expect(finding.message).toContain('(extra: setuid)');
  });

  it('is skipped, not passed, when there is nothing at the path', () => {
    const finding = findingFor(runRule(rule, snap().host({ files: filesOf(absent(PATH), absent('/var/run/docker/containerd/containerd.sock')) }).build()), '/run/containerd/containerd.sock');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notPresent' });
    expect(finding.message).toBe('/run/containerd/containerd.sock or /var/run/docker/containerd/containerd.sock is not present');
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

  it('falls back to the containerd that dockerd supervises under its exec root', () => {
    const managed = '/var/run/docker/containerd/containerd.sock';
    const snapshot = snap()
      .host({ files: filesOf(absent(PATH), present(managed, { type: 'socket', mode: 0o666, ...ALICE })) })
      .build();
    expect(summary(runRule(rule, snapshot))).toEqual([[managed, 'fail', 'tooOpen']]);
  });

  it('checks the socket named by the containerd setting', () => {
    const snapshot = snap()
      .daemon({ settings: { containerd: '/run/k3s/containerd/containerd.sock' } })
      .host({ files: filesOf(present('/run/k3s/containerd/containerd.sock', { type: 'socket', mode: 0o600 })) })
      .build();
    expect(summary(runRule(rule, snapshot))).toEqual([['/run/k3s/containerd/containerd.sock', 'pass', 'modeOk']]);
  });
});
