import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/files/DA317.js';
import { snap } from '../../helpers/builder.js';
import type { FileFacts } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { ALICE, absent, filesOf, present, unreadable } from './fixtures.js';

const PATH = '/etc/docker/daemon.json';

function host(main: FileFacts) {
  return snap().host({ files: filesOf(main) }).build();
}

describe('DA317 daemon-json-owner', () => {
  it('passes root:root', () => {
    const finding = findingFor(runRule(rule, host(present(PATH))), PATH);
    expect(finding).toMatchObject({ ruleId: 'DA317', status: 'pass', messageId: 'owned', subject: { kind: 'host', name: PATH } });
    expect(finding.message).toBe(`${PATH} is owned by root:root`);
  });

  it('fails another owner, naming the actual and the expected owner', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { uid: 1000, gid: 1000, owner: 'alice', group: 'alice' }))), PATH);
    expect(finding).toMatchObject({ ruleId: 'DA317', status: 'fail', messageId: 'wrongOwner', severity: 'medium' });
    expect(finding.message).toBe(`${PATH} is owned by alice:alice, expected root:root`);
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

  it('checks the configuration file the daemon really reads', () => {
    const snapshot = snap()
      .with((s) => {
        if (!('unavailable' in s.daemon) && !('unavailable' in s.daemon.config)) s.daemon.config.configFile.path = '/srv/docker/daemon.json';
      })
      .host({ files: filesOf(present('/srv/docker/daemon.json', { mode: 0o666, ...ALICE })) })
      .build();
    expect(summary(runRule(rule, snapshot))).toEqual([['/srv/docker/daemon.json', 'fail', 'wrongOwner']]);
  });
});
