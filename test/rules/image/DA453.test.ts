import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/DA453.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { layer, scannedImage, snapWithScans } from './scan-builder.js';

describe('DA453 image-world-writable', () => {
  const scan = layer({
    key: 'sha256:' + 'e'.repeat(64),
    entries: [
      { path: 'tmp', type: 'directory', mode: 0o1777 },
      { path: 'srv/drop', type: 'directory', mode: 0o777 },
      { path: 'etc/app.conf', mode: 0o666 },
      { path: 'usr/bin/tool', mode: 0o755 },
    ],
  });

  it('fails world-writable files and directories without the sticky bit, not /tmp', () => {
    const finding = findingFor(runRule(rule, snapWithScans(scannedImage([scan], { names: ['app:1'] })).build()), 'app:1');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'worldWritable' });
    expect(finding.message).toContain('/srv/drop (directory without sticky bit 0777, layer 1/1 (eeeeeeeeeeee))');
    expect(finding.message).toContain('/etc/app.conf (file 0666');
    expect(finding.message).not.toContain('/tmp');
  });

  it('passes when a later layer fixes the mode, and honours allowedPaths', () => {
    const fixed = layer({ entries: [{ path: 'srv/drop', type: 'directory', mode: 0o1777 }, { path: 'etc/app.conf', mode: 0o644 }] });
    expect(findingFor(runRule(rule, snapWithScans(scannedImage([scan, fixed], { names: ['fixed:1'] })).build()), 'fixed:1')).toMatchObject({
      status: 'pass',
      messageId: 'none',
    });
    const allowed = runRule(rule, snapWithScans(scannedImage([scan], { names: ['allowed:1'] })).build(), { allowedPaths: ['/srv/*', '/etc/app.conf'] });
    expect(findingFor(allowed, 'allowed:1')).toMatchObject({ status: 'pass', messageId: 'none' });
  });
});
