import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/DA460.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { layer, scannedImage, snapWithScans } from './scan-builder.js';

describe('DA460 image-scan-limits', () => {
  it('is an error, naming the layer and the cap, for an image whose scan stopped at a cap', () => {
    const message = `the number of entries in layer sha256:${'7'.repeat(64)} exceeds the cap of 1000 (--max-layer-entries); the image was not scanned`;
    const findings = runRule(
      rule,
      snapWithScans({
        source: '/tmp/huge.tar',
        names: [],
        unavailable: true,
        reason: message,
        limit: { cap: 'layerEntries', limit: 1000, layer: `sha256:${'7'.repeat(64)}`, message },
      }).build(),
    );
    expect(summary(findings)).toEqual([['/tmp/huge.tar', 'error', 'overLimit']]);
    expect(findings[0]?.message).toBe(`not audited: ${message}`);
  });

  it('passes an image read whole, and says nothing of an image that could not be scanned for another reason', () => {
    const whole = scannedImage([layer({ entries: [{ path: 'a' }, { path: 'b' }] }), layer({ entries: [{ path: 'c' }] })], { names: ['ok:1'] });
    const findings = runRule(rule, snapWithScans(whole, { source: 'gone', names: ['gone:1'], unavailable: true, reason: 'could not export' }).build());
    expect(summary(findings)).toEqual([['ok:1', 'pass', 'withinLimits']]);
    expect(findingFor(findings, 'ok:1').message).toBe('2 layer(s) read whole: 3 entries');
  });
});
