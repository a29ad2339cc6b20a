import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/DA458.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { layer, scannedImage, snapWithScans } from './scan-builder.js';

function osImage(name: string, osRelease: string, path = 'usr/lib/os-release') {
  return scannedImage([layer({ texts: { [path]: osRelease } })], { names: [name] });
}

function audit(collectedAt: string, ...images: ReturnType<typeof osImage>[]) {
  return runRule(
    rule,
    snapWithScans(...images)
      .with((snapshot) => {
        snapshot.collectedAt = collectedAt;
      })
      .build(),
  );
}

const DEBIAN_12 = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n';

describe('DA458 image-os-end-of-life', () => {
  it('passes a supported release and fails one past its end of life, judged at scan time', () => {
    const findings = audit(
      '2026-01-01T00:00:00Z',
      osImage('debian:12', DEBIAN_12),
      osImage('alpine:3.16', 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.16.9\nPRETTY_NAME="Alpine Linux v3.16"\n', 'etc/os-release'),
    );
    expect(findingFor(findings, 'debian:12')).toMatchObject({ status: 'pass', messageId: 'supported' });
    expect(findingFor(findings, 'debian:12').message).toContain('Debian GNU/Linux 12 (bookworm)');
    expect(findingFor(findings, 'alpine:3.16')).toMatchObject({ status: 'fail', messageId: 'endOfLife' });
    expect(findingFor(findings, 'alpine:3.16').message).toContain('2024-05-23');
  });

  it('warns before the end, fails with paid support only, and asks a person about unknown releases', () => {
    const soon = audit('2028-03-01T00:00:00Z', osImage('debian:12', DEBIAN_12));
    expect(findingFor(soon, 'debian:12')).toMatchObject({ status: 'warn', messageId: 'endingSoon' });
    const paid = audit('2026-01-01T00:00:00Z', osImage('ubuntu:20.04', 'ID=ubuntu\nVERSION_ID="20.04"\nPRETTY_NAME="Ubuntu 20.04.6 LTS"\n'));
    expect(findingFor(paid, 'ubuntu:20.04')).toMatchObject({ status: 'fail', messageId: 'paidOnly' });
    const unknown = audit('2026-01-01T00:00:00Z', osImage('exotic:1', 'ID=exotic\nVERSION_ID=7\n'));
    expect(findingFor(unknown, 'exotic:1')).toMatchObject({ status: 'manual', messageId: 'unknown' });
    const rolling = audit('2026-01-01T00:00:00Z', osImage('arch:1', 'ID=arch\nPRETTY_NAME="Arch Linux"\n'));
    expect(findingFor(rolling, 'arch:1')).toMatchObject({ status: 'pass', messageId: 'rolling' });
  });

  it('tells when there is no os-release, without passing', () => {
    const findings = audit('2026-01-01T00:00:00Z', scannedImage([layer()], { names: ['scratch:1'] }));
    expect(findingFor(findings, 'scratch:1')).toMatchObject({ status: 'info', messageId: 'noOsRelease' });
  });
});
