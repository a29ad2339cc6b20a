import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/files/DA303.js';
import { snap } from '../../helpers/builder.js';
import type { FileFacts } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { ALICE, filesOf, present, unreadable } from './fixtures.js';

const PATH = '/lib/systemd/system/docker.socket';
const DROP_IN = '/etc/systemd/system/docker.socket.d/override.conf';

function host(main: FileFacts) {
  return snap().host({ units: [{ name: 'docker.socket', fragmentPath: PATH, dropIns: [DROP_IN], directives: { ListenStream: '/run/docker.sock' } }], files: filesOf(main, present(DROP_IN)) }).build();
}

describe('DA303 docker-socket-unit-owner', () => {
  it('passes root:root', () => {
    const finding = findingFor(runRule(rule, host(present(PATH))), PATH);
    expect(finding).toMatchObject({ ruleId: 'DA303', status: 'pass', messageId: 'owned', subject: { kind: 'host', name: PATH } });
    expect(finding.message).toBe(`${PATH} is owned by root:root`);
  });

  it('fails another owner, naming the actual and the expected owner', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { uid: 1000, gid: 1000, owner: 'alice', group: 'alice' }))), PATH);
    expect(finding).toMatchObject({ ruleId: 'DA303', status: 'fail', messageId: 'wrongOwner', severity: 'medium' });
    expect(finding.message).toBe(`${PATH} is owned by alice:alice, expected root:root`);
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
        files: filesOf(present(PATH), present(DROP_IN, ALICE)),
      })
      .build();
    expect(summary(runRule(rule, snapshot))).toEqual([
      [DROP_IN, 'fail', 'wrongOwner'],
      [PATH, 'pass', 'owned'],
    ]);
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
