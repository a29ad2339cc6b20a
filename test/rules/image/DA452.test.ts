import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/DA452.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { layer, scannedImage, snapWithScans } from './scan-builder.js';

const DEBIAN_PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'sync:x:4:65534:sync:/bin:/bin/sync',
  'app:x:1000:1000::/home/app:/bin/sh',
  '',
].join('\n');
const DEBIAN_SHADOW = 'root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\nsync:*:19000::::::\napp:!:19000::::::\n';

function image(texts: Record<string, string>, user = 'app', names = ['app:1']) {
  return scannedImage([layer({ texts })], { names, user });
}

describe('DA452 image-accounts', () => {
  it('reads the state of each password the scan keeps, and the /etc/shadow text of older scans alike', () => {
    const shadow = DEBIAN_SHADOW.replace('app:!:', 'app::');
    for (const legacyShadowText of [false, true]) {
      const scan = layer({ texts: { 'etc/passwd': DEBIAN_PASSWD, 'etc/shadow': shadow }, legacyShadowText });
      expect(scan.texts['etc/shadow'] === undefined).toBe(!legacyShadowText);
      const findings = runRule(rule, snapWithScans(scannedImage([scan], { names: ['app:1'], user: 'app' })).build());
      expect(summary(findings)).toEqual([['app:1', 'fail', 'emptyPassword']]);
      expect(findings[0]?.message).toBe('accounts without a password (anyone may log in as them): app');
    }
  });

  it('passes sound accounts and names the image user', () => {
    const finding = findingFor(runRule(rule, snapWithScans(image({ 'etc/passwd': DEBIAN_PASSWD, 'etc/shadow': DEBIAN_SHADOW })).build()), 'app:1');
    expect(finding).toMatchObject({ status: 'pass', messageId: 'clean' });
    expect(finding.message).toContain('4 accounts');
    expect(finding.message).toContain('image user app');
  });

  it('reports empty passwords, a second root, shared UIDs and system shells as separate findings', () => {
    const passwd = `${DEBIAN_PASSWD}toor:x:0:0::/root:/bin/sh\nbackup:x:34:34:backup:/var/backups:/bin/bash\ncopy:x:1000:1000::/home/copy:/bin/sh\nguest::1001:1001::/home/guest:/bin/sh\n`;
    const shadow = `${DEBIAN_SHADOW.replace('app:!:', 'app::')}toor:*:1::::::\nbackup:*:1::::::\n`;
    const findings = runRule(rule, snapWithScans(image({ 'etc/passwd': passwd, 'etc/shadow': shadow }, '1000')).build());
    expect(summary(findings)).toEqual([
      ['app:1', 'fail', 'emptyPassword'],
      ['app:1', 'fail', 'extraRoot'],
      ['app:1', 'fail', 'duplicateUid'],
      ['app:1', 'warn', 'systemShell'],
    ]);
    expect(findings[0]?.message).toContain('app, guest');
    expect(findings[1]?.message).toContain('toor');
    expect(findings[2]?.message).toContain('1000 (app, copy)');
    expect(findings[3]?.message).toContain('backup (UID 34, /bin/bash)');
    expect(findings[3]?.message).not.toContain('sync');
  });

  it('fails an image user that is UID 0 under another name, and warns on one that does not exist', () => {
    const passwd = `${DEBIAN_PASSWD}admin:x:0:0::/root:/usr/sbin/nologin\n`;
    const findings = runRule(rule, snapWithScans(image({ 'etc/passwd': passwd }, 'admin:staff', ['admin:1']), image({ 'etc/passwd': DEBIAN_PASSWD }, 'ghost', ['ghost:1'])).build());
    expect(findings.filter((finding) => finding.subject.name === 'admin:1').map((finding) => finding.messageId)).toEqual(['extraRoot', 'userIsRoot']);
    expect(findingFor(findings, 'ghost:1')).toMatchObject({ status: 'warn', messageId: 'userUnknown' });
  });

  it('reads /etc/passwd as the final filesystem has it', () => {
    const base = layer({ texts: { 'etc/passwd': 'root::0:0:root:/root:/bin/sh\n' } });
    const fixed = layer({ texts: { 'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n' } });
    const findings = runRule(rule, snapWithScans(scannedImage([base, fixed], { names: ['fixed:1'] })).build());
    expect(findingFor(findings, 'fixed:1')).toMatchObject({ status: 'pass', messageId: 'clean' });
    expect(findingFor(findings, 'fixed:1').message).toContain('image user root (none set)');
  });

  it('tells when the image has no /etc/passwd, without passing', () => {
    const deleted = scannedImage([layer({ texts: { 'etc/passwd': DEBIAN_PASSWD } }), layer({ whiteouts: ['etc/passwd'] })], { names: ['scratch:1'] });
    expect(findingFor(runRule(rule, snapWithScans(deleted).build()), 'scratch:1')).toMatchObject({ status: 'info', messageId: 'noPasswd' });
  });
});
