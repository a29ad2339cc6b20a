import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/DA457.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { layer, scannedImage, snapWithScans } from './scan-builder.js';

describe('DA457 image-unsafe-entries', () => {
  it('fails critical on path traversal and escaping links, even when a later layer hides them', () => {
    const crafted = layer({
      key: 'sha256:' + '6'.repeat(64),
      unsafe: [
        { path: '../../etc/cron.d/evil', reason: 'path climbs out of the image root (..)' },
        { path: 'app/link', reason: 'symbolic link to ../../../etc/shadow leaves the image root' },
      ],
    });
    const finding = findingFor(runRule(rule, snapWithScans(scannedImage([crafted, layer({ opaque: [''] })], { source: '/tmp/crafted.tar' })).build()), '/tmp/crafted.tar');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'unsafeEntries', severity: 'critical' });
    expect(finding.message).toContain('../../etc/cron.d/evil (path climbs out of the image root (..), layer 1/2 (666666666666))');
    expect(finding.message).toContain('app/link (symbolic link to ../../../etc/shadow');
  });

  it('fails on a hard link to an absolute path and on an entry written through an absolute symbolic link', () => {
    const crafted = layer({
      key: 'sha256:' + '5'.repeat(64),
      unsafe: [
        { path: 'app/passwd', reason: 'hard link to the absolute path /etc/passwd' },
        { path: 'etc-link/cron.d/job', reason: 'written through the symbolic link etc-link -> /etc, which leaves the image root' },
      ],
    });
    const finding = findingFor(runRule(rule, snapWithScans(scannedImage([crafted], { names: ['evil:1'] })).build()), 'evil:1');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'unsafeEntries', severity: 'critical' });
    expect(finding.message).toBe(
      '2 layer entr(y/ies) leaving the image root: app/passwd (hard link to the absolute path /etc/passwd, layer 1/1 (555555555555)), etc-link/cron.d/job (written through the symbolic link etc-link -> /etc, which leaves the image root, layer 1/1 (555555555555))',
    );
  });

  it('passes layers whose entries stay inside the root', () => {
    expect(findingFor(runRule(rule, snapWithScans(scannedImage([layer()], { names: ['ok:1'] })).build()), 'ok:1')).toMatchObject({ status: 'pass', messageId: 'none' });
  });
});
