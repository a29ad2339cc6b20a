import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/files/DA314.js';
import { snap } from '../../helpers/builder.js';
import type { FileFacts } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { ALICE, absent, filesOf, present, unreadable } from './fixtures.js';

const PATH = '/etc/docker/tls/server-key.pem';

function host(main: FileFacts) {
  return snap().daemon({ settings: { tls: true, tlskey: PATH } }).host({ files: filesOf(main) }).build();
}

describe('DA314 tls-server-key-mode', () => {
  it('passes 0400 and stricter modes', () => {
    const exact = findingFor(runRule(rule, host(present(PATH, { mode: 0o400 }))), PATH);
    expect(exact).toMatchObject({ ruleId: 'DA314', status: 'pass', messageId: 'modeOk', subject: { kind: 'host', name: PATH } });
    expect(exact.message).toBe(`${PATH} has mode 0400, within 0400`);
    expect(findingFor(runRule(rule, host(present(PATH, { mode: 0o400 }))), PATH)).toMatchObject({ status: 'pass', messageId: 'modeOk' });
  });

  it('fails a mode granting more, naming the mode and the extra bits', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { mode: 0o440 }))), PATH);
    expect(finding).toMatchObject({ ruleId: 'DA314', status: 'fail', messageId: 'tooOpen', severity: 'high' });
    expect(finding.message).toBe(`${PATH} has mode 0440, expected 0400 or stricter (extra: group read)`);
  });

  it('fails setuid, setgid and sticky bits, which no allowed mode includes', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { mode: 0o4400 }))), PATH);
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

  it('is skipped when TLS is off and no tlskey is configured', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ settings: {} }).host({ files: {} }).build()), 'tlskey');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notConfigured' });
    expect(finding.message).toBe('no tlskey is configured and the daemon needs none (tls: off, tlsverify: off)');
  });

  it('checks the default name when tls is on without a tlskey setting', () => {
    const snapshot = snap()
      .daemon({ settings: { tls: true } })
      .host({ files: filesOf(present('/root/.docker/key.pem', { mode: 0o644, ...ALICE })) })
      .build();
    const finding = findingFor(runRule(rule, snapshot), '/root/.docker/key.pem');
    expect(finding.status).toBe('fail');
    expect(finding.messageId).toBe('tooOpen');
  });

  it('is skipped when the daemon configuration is not visible', () => {
    const findings = runRule(rule, snap().daemon({ configUnavailable: 'the daemon is remote' }).host({ files: {} }).build());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: 'skipped' });
    expect(findings[0]?.message).toContain('the daemon is remote');
  });
});
