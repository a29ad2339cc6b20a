import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/DA455.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { layer, scannedImage, snapWithScans } from './scan-builder.js';

const STATUS = 'Package: openssh-server\nStatus: install ok installed\nVersion: 1:9.2p1-2\n\nPackage: bash\nStatus: install ok installed\nVersion: 5.2\n';

describe('DA455 image-ssh-server', () => {
  it('fails an image with sshd, naming the binary and its layer and the package', () => {
    const image = scannedImage([layer({ key: 'sha256:' + '4'.repeat(64), entries: [{ path: 'usr/sbin/sshd', mode: 0o755 }], texts: { 'var/lib/dpkg/status': STATUS } })], { names: ['ssh:1'] });
    const finding = findingFor(runRule(rule, snapWithScans(image).build()), 'ssh:1');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'sshServer' });
    expect(finding.message).toContain('/usr/sbin/sshd (layer 1/1 (444444444444))');
    expect(finding.message).toContain('dpkg package openssh-server 1:9.2p1-2');
  });

  it('passes when the binary was deleted and no package is installed', () => {
    const image = scannedImage([layer({ entries: [{ path: 'usr/sbin/dropbear' }] }), layer({ whiteouts: ['usr/sbin/dropbear'] })], { names: ['clean:1'] });
    expect(findingFor(runRule(rule, snapWithScans(image).build()), 'clean:1')).toMatchObject({ status: 'pass', messageId: 'noSshServer' });
  });
});
