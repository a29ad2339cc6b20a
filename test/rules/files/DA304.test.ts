import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/files/DA304.js';
import { snap } from '../../helpers/builder.js';
import type { FileFacts } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { filesOf, present, unreadable } from './fixtures.js';

const PATH = '/lib/systemd/system/docker.socket';
const DROP_IN = '/etc/systemd/system/docker.socket.d/override.conf';

function host(main: FileFacts) {
  return snap().host({ units: [{ name: 'docker.socket', fragmentPath: PATH, dropIns: [DROP_IN], directives: { ListenStream: '/run/docker.sock' } }], files: filesOf(main, present(DROP_IN)) }).build();
}

describe('DA304 docker-socket-unit-mode', () => {
  it('passes 0644 and stricter modes', () => {
    const exact = findingFor(runRule(rule, host(present(PATH, { mode: 0o644 }))), PATH);
    expect(exact).toMatchObject({ ruleId: 'DA304', status: 'pass', messageId: 'modeOk', subject: { kind: 'host', name: PATH } });
    expect(exact.message).toBe(`${PATH} has mode 0644, within 0644`);
    expect(findingFor(runRule(rule, host(present(PATH, { mode: 0o600 }))), PATH)).toMatchObject({ status: 'pass', messageId: 'modeOk' });
  });

  it('fails a mode granting more, naming the mode and the extra bits', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { mode: 0o664 }))), PATH);
    expect(finding).toMatchObject({ ruleId: 'DA304', status: 'fail', messageId: 'tooOpen', severity: 'medium' });
    expect(finding.message).toBe(`${PATH} has mode 0664, expected 0644 or stricter (extra: group write)`);
  });

  it('fails setuid, setgid and sticky bits, which no allowed mode includes', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { mode: 0o4644 }))), PATH);
    expect(finding).toMatchObject({ status: 'fail', messageId: 'tooOpen' });
    expect(finding.message).toContain('(extra: setuid)');
  });

  it('is skipped, not passed, when there is nothing at the path', () => {
    const finding = findingFor(runRule(rule, snap().host({ units: [] }).build()), 'docker.socket');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notPresent' });
    expect(finding.message).toBe('the docker.socket unit is not present');
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

  it('checks every drop-in as well as the unit file, one finding each', () => {
    const snapshot = snap()
      .host({
        units: [{ name: 'docker.socket', fragmentPath: PATH, dropIns: [DROP_IN], directives: {} }],
        files: filesOf(present(PATH), present(DROP_IN, { mode: 0o666 })),
      })
      .build();
    expect(summary(runRule(rule, snapshot))).toEqual([
      [DROP_IN, 'fail', 'tooOpen'],
      [PATH, 'pass', 'modeOk'],
    ]);
  });

  it('compares bits, not numbers: 0466 is below 644 as a number yet lets everyone write', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { mode: 0o466 }))), PATH);
    expect(finding).toMatchObject({ status: 'fail', messageId: 'tooOpen' });
    expect(finding.message).toContain('group write, others write');
  });

  it('reports a masked unit as not present rather than judging /dev/null', () => {
    const snapshot = snap()
      .host({ units: [{ name: 'docker.socket', fragmentPath: '/dev/null', dropIns: [], directives: {} }], files: filesOf(present('/dev/null', { mode: 0o666 })) })
      .build();
    const finding = findingFor(runRule(rule, snapshot), 'docker.socket');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notPresent' });
    expect(finding.message).toBe('the docker.socket unit (masked) is not present');
  });
});
