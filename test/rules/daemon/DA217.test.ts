import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/daemon/DA217.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

function withOptions(options: string[]) {
  return runRule(rule, snap().daemon({ info: { SecurityOptions: options }, configUnavailable: 'the daemon is remote' }).build());
}

describe('DA217 daemon-seccomp-profile', () => {
  it("passes Docker's default profile", () => {
    expect(summary(withOptions(['name=apparmor', 'name=seccomp,profile=default']))).toEqual([['dockerd', 'pass', 'default']]);
  });

  it('passes a custom profile and names it', () => {
    const finding = findingFor(withOptions(['name=seccomp,profile=/etc/docker/seccomp.json']), 'dockerd');
    expect(finding).toMatchObject({ status: 'pass', messageId: 'custom' });
    expect(finding.message).toContain('/etc/docker/seccomp.json');
  });

  it('fails an unconfined daemon-wide profile', () => {
    const finding = findingFor(withOptions(['name=seccomp,profile=unconfined']), 'dockerd');
    expect(finding).toMatchObject({ ruleId: 'DA217', status: 'fail', messageId: 'unconfined', severity: 'medium' });
  });

  it('fails a daemon without seccomp and lists what it does report', () => {
    const finding = findingFor(withOptions(['name=apparmor', 'name=cgroupns']), 'dockerd');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'unsupported' });
    expect(finding.message).toContain('apparmor, cgroupns');
  });

  it('is skipped when info carries no security options', () => {
    const snapshot = snap()
      .with((s) => {
        if (!('unavailable' in s.daemon)) delete s.daemon.info['SecurityOptions'];
      })
      .build();
    expect(summary(runRule(rule, snapshot))).toEqual([['dockerd', 'skipped', 'notReported']]);
  });
});
