import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/DA450.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { layer, scannedImage, snapWithScans } from './scan-builder.js';

describe('DA450 image-setuid-files', () => {
  const base = layer({
    key: 'sha256:' + '1'.repeat(64),
    entries: [
      { path: 'usr/bin/passwd', mode: 0o4755 },
      { path: 'usr/bin/chage', mode: 0o2755 },
      { path: 'usr/bin/ls', mode: 0o755 },
    ],
  });

  it('lists setuid and setgid files of the final filesystem with their layer, high when setuid root', () => {
    const findings = runRule(rule, snapWithScans(scannedImage([base], { names: ['debian:12'] })).build());
    const finding = findingFor(findings, 'debian:12');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'setuidFiles', severity: 'high', subject: { kind: 'image' } });
    expect(finding.message).toContain('/usr/bin/passwd (setuid root 4755, layer 1/1 (111111111111))');
    expect(finding.message).toContain('/usr/bin/chage (setgid 2755');
    expect(finding.message).not.toContain('/usr/bin/ls');
  });

  it('is medium when only setgid files remain', () => {
    const image = scannedImage([layer({ entries: [{ path: 'usr/bin/wall', mode: 0o2755 }] })], { names: ['tools:1'] });
    expect(findingFor(runRule(rule, snapWithScans(image).build()), 'tools:1')).toMatchObject({ status: 'fail', severity: 'medium' });
  });

  it('passes when a later layer removes the bits, deletes the file or hides its directory', () => {
    const image = scannedImage(
      [
        base,
        layer({ entries: [{ path: 'usr/bin/passwd', mode: 0o755 }] }),
        layer({ whiteouts: ['usr/bin/chage'] }),
      ],
      { names: ['fixed:1'] },
    );
    expect(findingFor(runRule(rule, snapWithScans(image).build()), 'fixed:1')).toMatchObject({ status: 'pass', messageId: 'none' });
    const hidden = scannedImage([base, layer({ opaque: ['usr/bin'] })], { names: ['hidden:1'] });
    expect(findingFor(runRule(rule, snapWithScans(hidden).build()), 'hidden:1')).toMatchObject({ status: 'pass', messageId: 'none' });
  });

  it('accepts allowed paths, with or without a leading slash or a trailing *', () => {
    const image = scannedImage([base], { names: ['allowed:1'] });
    const finding = findingFor(runRule(rule, snapWithScans(image).build(), { allowedPaths: ['/usr/bin/passwd', 'usr/bin/ch*'] }), 'allowed:1');
    expect(finding).toMatchObject({ status: 'pass', messageId: 'onlyAllowed' });
    expect(finding.message).toContain('/usr/bin/passwd');
  });

  it('names an untagged archive by its path and skips an image whose scan failed', () => {
    const findings = runRule(
      rule,
      snapWithScans(scannedImage([base], { source: '/tmp/app.tar' }), { source: 'sha256:' + 'c'.repeat(64), names: ['app:2'], unavailable: true, reason: 'export failed' }).build(),
    );
    expect(findingFor(findings, '/tmp/app.tar').status).toBe('fail');
    expect(findingFor(findings, 'app:2')).toMatchObject({ status: 'skipped' });
    expect(findingFor(findings, 'app:2').message).toContain('export failed');
  });

  it('reports nothing when no image was scanned: the scan was not asked for', () => {
    const findings = runRule(rule, snapWithScans().with((snapshot) => delete snapshot.imageContents).build());
    expect(findings).toEqual([]);
  });
});
