import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/host/DA110.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

describe('DA110 host-hardened', () => {
  it('leaves the decision to a person, with the OS, the reboot marker and the pending upgrades', () => {
    const pending = ['bash', 'curl', 'docker.io', 'libc6', 'libssl3', 'linux-image-amd64', 'openssh-server', 'perl', 'python3', 'runc', 'systemd', 'tar', 'tzdata'];
    const snapshot = snap()
      .host({
        osRelease: { ID: 'debian', VERSION_ID: '12', PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)' },
        rebootRequired: true,
        packageUpdates: { manager: 'apt', pending, listsUpdated: '2026-11-28T13:26:15.000Z' },
      })
      .build();
    const finding = findingFor(runRule(rule, snapshot), 'testhost');
    expect(finding).toMatchObject({ ruleId: 'DA110', status: 'manual', messageId: 'review' });
    expect(finding.message).toBe(
      'review the hardening of Debian GNU/Linux 12 (bookworm) against a benchmark for it; reboot pending: yes (/var/run/reboot-required); ' +
        'pending upgrades: 13 (apt, package lists of 2026-11-28): docker.io, linux-image-amd64, runc, bash, curl, libc6, libssl3, openssh-server, perl, python3 and 3 more',
    );
  });

  it('says what it could not tell rather than reporting a clean host', () => {
    const snapshot = snap()
      .host({
        osRelease: { ID: 'fedora', VERSION_ID: '40' },
        packageUpdates: { unavailable: true, reason: 'pending upgrades are only read from apt\'s local lists; fedora is not apt-based' },
      })
      .build();
    const finding = findingFor(runRule(rule, snapshot), 'testhost');
    expect(finding.message).toContain('of fedora 40');
    expect(finding.message).toContain('reboot pending: unknown (only Debian-family systems leave a marker)');
    expect(finding.message).toContain("pending upgrades: unknown: pending upgrades are only read from apt's local lists");
    const clean = findingFor(runRule(rule, snap().host({}).build()), 'testhost');
    expect(clean.message).toContain('reboot pending: no; pending upgrades: none (apt)');
  });

  it('is skipped when the host was not visible', () => {
    expect(summary(runRule(rule, snap().hostUnavailable('the daemon is remote').build()))).toEqual([['testhost', 'skipped', '__skipped']]);
  });
});
