import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/DA454.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { layer, scannedImage, snapWithScans } from './scan-builder.js';

describe('DA454 image-package-caches', () => {
  it('warns on caches with their size and layer, including caches deleted by a later layer', () => {
    const install = layer({
      key: 'sha256:' + '2'.repeat(64),
      leftovers: [
        { path: 'var/lib/apt/lists', kind: 'apt-lists', bytes: 50_400_000 },
        { path: 'root/.cache/pip', kind: 'pip-cache', bytes: 2_000_000 },
        { path: 'app/.git', kind: 'git-directory', bytes: 10_000 },
      ],
    });
    const cleanup = layer({ key: 'sha256:' + '3'.repeat(64), whiteouts: ['root/.cache/pip'] });
    const finding = findingFor(runRule(rule, snapWithScans(scannedImage([install, cleanup], { names: ['app:1'] })).build()), 'app:1');
    expect(finding).toMatchObject({ status: 'warn', messageId: 'caches' });
    expect(finding.message).toContain('52.4 MB in all');
    expect(finding.message).toContain('/var/lib/apt/lists (apt package lists, 50.4 MB, layer 1/2 (222222222222))');
    expect(finding.message).toContain('/root/.cache/pip (pip cache, 2.0 MB, layer 1/2 (222222222222), deleted in layer 2/2 (333333333333) but still shipped in its layer)');
    expect(finding.message).not.toContain('.git');
  });

  it('counts a cache as removed only when every file of it is, and passes an image without caches', () => {
    const install = layer({ leftovers: [{ path: 'var/lib/apt/lists', kind: 'apt-lists', bytes: 1000 }] });
    const cleanup = layer({ whiteouts: ['var/lib/apt/lists/file'] });
    const finding = findingFor(runRule(rule, snapWithScans(scannedImage([install, cleanup], { names: ['cleaned:1'] })).build()), 'cleaned:1');
    expect(finding.message).toContain('deleted in layer 2/2');
    const none = findingFor(runRule(rule, snapWithScans(scannedImage([layer()], { names: ['slim:1'] })).build()), 'slim:1');
    expect(none).toMatchObject({ status: 'pass', messageId: 'none' });
  });

  it('ignores caches below minBytes', () => {
    const small = layer({ leftovers: [{ path: 'var/cache/apk', kind: 'apk-cache', bytes: 10 }] });
    expect(findingFor(runRule(rule, snapWithScans(scannedImage([small], { names: ['alpine:1'] })).build(), { minBytes: 1024 }), 'alpine:1').status).toBe('pass');
  });
});
