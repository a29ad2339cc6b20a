import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/files/DA307.js';
import { snap } from '../../helpers/builder.js';
import type { FileFacts } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { ALICE, absent, filesOf, present, unreadable } from './fixtures.js';

const PATH = '/etc/docker/certs.d/registry.example:5000/ca.crt';
const CERTS = '/etc/docker/certs.d';
const REGISTRY = '/etc/docker/certs.d/registry.example:5000';

function host(main: FileFacts) {
  return snap().host({ files: filesOf(present(CERTS, { type: 'directory', mode: 0o755 }), present(REGISTRY, { type: 'directory', mode: 0o755 }), main) }).build();
}

describe('DA307 registry-certs-owner', () => {
  it('passes root:root', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { mode: 0o444 }))), PATH);
    expect(finding).toMatchObject({ ruleId: 'DA307', status: 'pass', messageId: 'owned', subject: { kind: 'host', name: PATH } });
    expect(finding.message).toBe(`${PATH} is owned by root:root`);
  });

  it('fails another owner, naming the actual and the expected owner', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { mode: 0o444, uid: 1000, gid: 1000, owner: 'alice', group: 'alice' }))), PATH);
    expect(finding).toMatchObject({ ruleId: 'DA307', status: 'fail', messageId: 'wrongOwner', severity: 'medium' });
    expect(finding.message).toBe(`${PATH} is owned by alice:alice, expected root:root`);
  });

  it('is skipped, not passed, when there is nothing at the path', () => {
    const finding = findingFor(runRule(rule, snap().host({ files: filesOf(absent(CERTS)) }).build()), '/etc/docker/certs.d');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notPresent' });
    expect(finding.message).toBe('/etc/docker/certs.d is not present');
  });

  it('is skipped with the reason when the path could not be examined', () => {
    const finding = findingFor(runRule(rule, host(unreadable(PATH))), PATH);
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notSeen' });
    expect(finding.message).toBe(`${PATH} could not be examined: EACCES: permission denied`);
  });

  it('is skipped when the host is not visible', () => {
    const findings = runRule(rule, snap().hostUnavailable('the host root /mnt/host is not mounted').build());
    expect(summary(findings)).toEqual([['testhost', 'skipped', '__skipped']]);
  });

  it('checks the directories under certs.d too, since their owner can swap the certificates', () => {
    const snapshot = snap()
      .host({
        files: filesOf(
          present(CERTS, { type: 'directory', mode: 0o755 }),
          present(REGISTRY, { type: 'directory', mode: 0o755, ...ALICE }),
          present(PATH, { mode: 0o444 }),
          present(`${REGISTRY}/client.key`, { mode: 0o400, uid: 0, gid: 1000, group: 'alice' }),
        ),
      })
      .build();
    expect(summary(runRule(rule, snapshot))).toEqual([
      [REGISTRY, 'fail', 'wrongOwner'],
      [`${REGISTRY}/client.key`, 'fail', 'wrongOwner'],
      [CERTS, 'pass', 'owned'],
      [PATH, 'pass', 'owned'],
    ]);
  });
});
