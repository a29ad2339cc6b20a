import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/DA456.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { layer, scannedImage, snapWithScans } from './scan-builder.js';

describe('DA456 image-build-leftovers', () => {
  it('warns on a .git directory with its size and layer', () => {
    const image = scannedImage(
      [layer({ key: 'sha256:' + '5'.repeat(64), leftovers: [{ path: 'app/.git', kind: 'git-directory', bytes: 1_500_000 }, { path: 'var/lib/apt/lists', kind: 'apt-lists', bytes: 9 }] })],
      { names: ['app:1'] },
    );
    const finding = findingFor(runRule(rule, snapWithScans(image).build()), 'app:1');
    expect(finding).toMatchObject({ status: 'warn', messageId: 'leftovers' });
    expect(finding.message).toContain('/app/.git (Git repository, 1.5 MB, layer 1/1 (555555555555))');
    expect(finding.message).not.toContain('apt');
  });

  it('passes an image without leftovers', () => {
    expect(findingFor(runRule(rule, snapWithScans(scannedImage([layer()], { names: ['clean:1'] })).build()), 'clean:1')).toMatchObject({
      status: 'pass',
      messageId: 'none',
    });
  });
});
