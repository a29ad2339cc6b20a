import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/files/DA320.js';
import { snap } from '../../helpers/builder.js';
import type { FileFacts } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { absent, filesOf, present, unreadable } from './fixtures.js';

const PATH = '/etc/default/docker';

function host(main: FileFacts) {
  return snap().host({ files: filesOf(main) }).build();
}

describe('DA320 etc-default-docker-mode', () => {
  it('passes 0644 and stricter modes', () => {
    const exact = findingFor(runRule(rule, host(present(PATH, { mode: 0o644 }))), PATH);
    expect(exact).toMatchObject({ ruleId: 'DA320', status: 'pass', messageId: 'modeOk', subject: { kind: 'host', name: PATH } });
    expect(exact.message).toBe(`${PATH} has mode 0644, within 0644`);
    expect(findingFor(runRule(rule, host(present(PATH, { mode: 0o600 }))), PATH)).toMatchObject({ status: 'pass', messageId: 'modeOk' });
  });

  it('fails a mode granting more, naming the mode and the extra bits', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { mode: 0o664 }))), PATH);
    expect(finding).toMatchObject({ ruleId: 'DA320', status: 'fail', messageId: 'tooOpen', severity: 'medium' });
    expect(finding.message).toBe(`${PATH} has mode 0664, expected 0644 or stricter (extra: group write)`);
  });

  it('fails setuid, setgid and sticky bits, which no allowed mode includes', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { mode: 0o4644 }))), PATH);
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

});
