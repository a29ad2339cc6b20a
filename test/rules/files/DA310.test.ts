import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/files/DA310.js';
import { snap } from '../../helpers/builder.js';
import type { FileFacts } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { ALICE, absent, filesOf, present, unreadable } from './fixtures.js';

const PATH = '/etc/docker/tls/ca.pem';

function host(main: FileFacts) {
  return snap().daemon({ settings: { tlsverify: true, tlscacert: PATH } }).host({ files: filesOf(main) }).build();
}

describe('DA310 tls-ca-cert-mode', () => {
  it('passes 0444 and stricter modes', () => {
    const exact = findingFor(runRule(rule, host(present(PATH, { mode: 0o444 }))), PATH);
    expect(exact).toMatchObject({ ruleId: 'DA310', status: 'pass', messageId: 'modeOk', subject: { kind: 'host', name: PATH } });
    expect(exact.message).toBe(`${PATH} has mode 0444, within 0444`);
    expect(findingFor(runRule(rule, host(present(PATH, { mode: 0o440 }))), PATH)).toMatchObject({ status: 'pass', messageId: 'modeOk' });
  });

  it('fails a mode granting more, naming the mode and the extra bits', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { mode: 0o644 }))), PATH);
    expect(finding).toMatchObject({ ruleId: 'DA310', status: 'fail', messageId: 'tooOpen', severity: 'high' });
    expect(finding.message).toBe(`${PATH} has mode 0644, expected 0444 or stricter (extra: owner write)`);
  });

  it('fails setuid, setgid and sticky bits, which no allowed mode includes', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { mode: 0o4444 }))), PATH);
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

  it('is skipped when TLS is off and no tlscacert is configured', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ settings: {} }).host({ files: {} }).build()), 'tlscacert');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notConfigured' });
    expect(finding.message).toBe('no tlscacert is configured and the daemon needs none (tls: off, tlsverify: off)');
  });

  it('checks the default name when tlsverify is on without a tlscacert setting', () => {
    const snapshot = snap()
      .daemon({ settings: { tlsverify: true } })
      .host({ files: filesOf(present('/root/.docker/ca.pem', { mode: 0o644, ...ALICE })) })
      .build();
    const finding = findingFor(runRule(rule, snapshot), '/root/.docker/ca.pem');
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
