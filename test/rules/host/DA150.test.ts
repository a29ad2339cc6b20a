import { describe, expect, it } from 'vitest';
import { OS_EOL_TABLE_DATE } from '../../../src/rules/shared/data/os-eol.js';
import rule from '../../../src/rules/host/DA150.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

function host(osRelease: Record<string, string>, collectedAt = '2026-01-01T00:00:00.000Z') {
  return snap()
    .host({ osRelease })
    .with((s) => {
      s.collectedAt = collectedAt;
    })
    .build();
}

describe('DA150 host-os-end-of-life', () => {
  it('passes a supported release and names the end date and the table date', () => {
    const finding = findingFor(runRule(rule, host({ ID: 'debian', VERSION_ID: '12', PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)' })), 'testhost');
    expect(finding).toMatchObject({ ruleId: 'DA150', status: 'pass', messageId: 'supported', subject: { kind: 'host', name: 'testhost' } });
    expect(finding.message).toBe(`Debian GNU/Linux 12 (bookworm) receives security updates until 2028-06-10 (end-of-life table of ${OS_EOL_TABLE_DATE})`);
  });

  it('maps point releases onto their cycle (RHEL 9.4, Alpine 3.21.2, SLES 15 SP7)', () => {
    expect(summary(runRule(rule, host({ ID: 'rhel', VERSION_ID: '9.4' })))).toEqual([['testhost', 'pass', 'supported']]);
    expect(summary(runRule(rule, host({ ID: 'alpine', VERSION_ID: '3.21.2' })))).toEqual([['testhost', 'pass', 'supported']]);
    expect(summary(runRule(rule, host({ ID: 'sles', VERSION_ID: '15.7' })))).toEqual([['testhost', 'pass', 'supported']]);
  });

  it('warns when security support ends within 180 days of the snapshot', () => {
    const finding = findingFor(runRule(rule, host({ ID: 'ubuntu', VERSION_ID: '25.04' })), 'testhost');
    expect(finding).toMatchObject({ status: 'warn', messageId: 'endingSoon' });
    expect(finding.message).toContain('on 2026-01-17, 16 days after this snapshot');
  });

  it('fails a release past its end of life', () => {
    const centos = findingFor(runRule(rule, host({ ID: 'centos', VERSION_ID: '7', NAME: 'CentOS Linux' })), 'testhost');
    expect(centos).toMatchObject({ status: 'fail', messageId: 'endOfLife', severity: 'high' });
    expect(centos.message).toContain('reached end of life on 2024-06-30');
    expect(summary(runRule(rule, host({ ID: 'alpine', VERSION_ID: '3.18.4' })))).toEqual([['testhost', 'fail', 'endOfLife']]);
  });

  it('fails a release past free support and names the paid extension that could still cover it', () => {
    const finding = findingFor(runRule(rule, host({ ID: 'ubuntu', VERSION_ID: '20.04', PRETTY_NAME: 'Ubuntu 20.04.6 LTS' })), 'testhost');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'paidOnly' });
    expect(finding.message).toContain('lost free security support on 2025-05-31; only paid Ubuntu Pro ESM (until 2030-04-02)');
  });

  it('judges at the time the snapshot was collected, not at the time of the audit', () => {
    const old = host({ ID: 'ubuntu', VERSION_ID: '20.04' }, '2024-06-01T00:00:00.000Z');
    expect(summary(runRule(rule, old))).toEqual([['testhost', 'pass', 'supported']]);
  });

  it('tells CentOS Stream from CentOS Linux by its NAME', () => {
    const stream = findingFor(runRule(rule, host({ ID: 'centos', VERSION_ID: '9', NAME: 'CentOS Stream' })), 'testhost');
    expect(stream).toMatchObject({ status: 'pass', messageId: 'supported' });
    expect(stream.message).toContain('CentOS Stream 9 receives security updates until 2027-05-31');
  });

  it('passes rolling releases, which have no end of life', () => {
    expect(summary(runRule(rule, host({ ID: 'arch', PRETTY_NAME: 'Arch Linux' })))).toEqual([['testhost', 'pass', 'rolling']]);
  });

  it('asks a person to check a release the table does not know', () => {
    const finding = findingFor(runRule(rule, host({ ID: 'linuxmint', VERSION_ID: '21.3', PRETTY_NAME: 'Linux Mint 21.3' })), 'testhost');
    expect(finding).toMatchObject({ status: 'manual', messageId: 'unknown' });
    expect(finding.message).toBe(`Linux Mint 21.3 (ID linuxmint, VERSION_ID 21.3) is not in the end-of-life table of ${OS_EOL_TABLE_DATE}: check the vendor's lifecycle`);
    expect(summary(runRule(rule, host({ ID: 'debian', VERSION_ID: '15' })))).toEqual([['testhost', 'manual', 'unknown']]);
    expect(summary(runRule(rule, host({ ID: 'debian', PRETTY_NAME: 'Debian GNU/Linux trixie/sid' })))).toEqual([['testhost', 'manual', 'unknown']]);
  });

  it('is skipped when /etc/os-release could not be read, or the host is not visible', () => {
    const unread = snap().host({ osRelease: { unavailable: true, reason: 'EACCES: /etc/os-release' } }).build();
    const finding = findingFor(runRule(rule, unread), 'testhost');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notSeen' });
    expect(finding.message).toContain('EACCES');
    expect(summary(runRule(rule, snap().hostUnavailable('not collected').build()))).toEqual([['testhost', 'skipped', '__skipped']]);
  });
});
