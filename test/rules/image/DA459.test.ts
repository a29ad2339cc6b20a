import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/DA459.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { layer, scannedImage, snapWithScans } from './scan-builder.js';

const STATUS = ['zlib1g', 'bash', 'apt', 'coreutils', 'dpkg', 'tar', 'sed']
  .map((name) => `Package: ${name}\nStatus: install ok installed\nVersion: 1.0\n`)
  .concat('Package: removed\nStatus: deinstall ok config-files\nVersion: 0.1\n')
  .join('\n');
const APK = 'C:Q1abc=\nP:musl\nV:1.2.4-r2\n\nP:busybox\nV:1.36.1-r5\n\n';

describe('DA459 image-packages', () => {
  it('gives the count and a few names of installed dpkg packages, not the whole list', () => {
    const image = scannedImage([layer({ key: 'sha256:' + '7'.repeat(64), texts: { 'var/lib/dpkg/status': STATUS } })], { names: ['debian:12'] });
    const finding = findingFor(runRule(rule, snapWithScans(image).build()), 'debian:12');
    expect(finding).toMatchObject({ status: 'info', messageId: 'packages' });
    expect(finding.message).toBe('7 dpkg packages installed (/var/lib/dpkg/status, layer 1/1 (777777777777)), e.g. apt 1.0, bash 1.0, coreutils 1.0, dpkg 1.0, sed 1.0, ...');
  });

  it('reads the apk database, and tells when there is none', () => {
    const alpine = scannedImage([layer({ texts: { 'lib/apk/db/installed': APK } })], { names: ['alpine:3'] });
    const none = scannedImage([layer()], { names: ['scratch:1'] });
    const findings = runRule(rule, snapWithScans(alpine, none).build());
    expect(findingFor(findings, 'alpine:3').message).toContain('2 apk packages installed');
    expect(findingFor(findings, 'scratch:1')).toMatchObject({ status: 'info', messageId: 'noDatabase' });
  });

  it('reads the per-package status files of a distroless image, without those a later layer deleted', () => {
    const files = {
      'var/lib/dpkg/status.d/base-files': 'Package: base-files\nVersion: 12.4\n',
      'var/lib/dpkg/status.d/libssl3': 'Package: libssl3\nSource: openssl\nVersion: 3.0.11-1\n',
      'var/lib/dpkg/status.d/tzdata': 'Package: tzdata\nVersion: 2024a-0+deb12u1\n',
    };
    const image = scannedImage([layer({ key: 'sha256:' + '8'.repeat(64), texts: files }), layer({ key: 'sha256:' + '9'.repeat(64), whiteouts: ['var/lib/dpkg/status.d/tzdata'] })], { names: ['distroless:1'] });
    const finding = findingFor(runRule(rule, snapWithScans(image).build()), 'distroless:1');
    expect(finding).toMatchObject({ status: 'info', messageId: 'packages' });
    expect(finding.message).toBe('2 dpkg packages installed (/var/lib/dpkg/status.d/, layer 1/2 (888888888888)), e.g. base-files 12.4, libssl3 3.0.11-1');
  });
});
