import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/host/DA151.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

describe('DA151 host-reboot-pending', () => {
  it('warns when the reboot marker is present', () => {
    const finding = findingFor(runRule(rule, snap().host({ rebootRequired: true }).build()), 'testhost');
    expect(finding).toMatchObject({ ruleId: 'DA151', status: 'warn', messageId: 'pending', subject: { kind: 'host', name: 'testhost' } });
    expect(finding.message).toBe('a reboot is pending (/var/run/reboot-required is present): installed updates are not running yet');
  });

  it('passes on Ubuntu and its derivatives, which always write the marker', () => {
    const ubuntu = snap().host({ rebootRequired: false, osRelease: { ID: 'ubuntu', VERSION_ID: '24.04' } }).build();
    expect(summary(runRule(rule, ubuntu))).toEqual([['testhost', 'pass', 'none']]);
    const mint = snap().host({ osRelease: { ID: 'linuxmint', ID_LIKE: 'ubuntu debian', VERSION_ID: '21.3' } }).build();
    expect(summary(runRule(rule, mint))).toEqual([['testhost', 'pass', 'none']]);
  });

  it('only informs elsewhere: a missing marker proves nothing there', () => {
    const finding = findingFor(runRule(rule, snap().host({ osRelease: { ID: 'rocky', VERSION_ID: '9.3', PRETTY_NAME: 'Rocky Linux 9.3' } }).build()), 'testhost');
    expect(finding).toMatchObject({ status: 'info', messageId: 'noMarker' });
    expect(finding.message).toContain('Rocky Linux 9.3 does not always write it');
  });

  it('is skipped when the host is not visible', () => {
    expect(summary(runRule(rule, snap().hostUnavailable('not collected').build()))).toEqual([['testhost', 'skipped', '__skipped']]);
  });
});
