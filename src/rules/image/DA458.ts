import { judgeOsLifecycle } from '../shared/os-lifecycle.js';
import { defineRule } from '../define.js';
import { forEachImageScan } from './support/each-scan.js';
import { imageOsRelease } from './support/os-release.js';

export default defineRule({
  meta: {
    id: 'DA458',
    alias: 'image-os-end-of-life',
    family: 'image',
    title: 'The distribution inside images still receives security updates',
    severity: 'high',
    rationale:
      'An image built on a release past its end of life gets no more fixes however often it is rebuilt: every library flaw published afterwards stays in every container made from it.',
    remediation: 'Move the image to a supported release of its distribution (change the FROM line, rebuild, test) or to a maintained minimal base.',
    references: { cis: ['4.4'], checklist: ['UPD-1', 'IMG-5'] },
    needs: ['imageContents'],
    messages: {
      supported: '{{os}} receives security updates until {{until}} (end-of-life table of {{tableDate}})',
      endingSoon: '{{os}} loses security support on {{until}}, {{days}} days after this scan (end-of-life table of {{tableDate}})',
      endOfLife: '{{os}} reached end of life on {{until}}: no more security updates (end-of-life table of {{tableDate}})',
      paidOnly:
        '{{os}} lost free security support on {{until}}; only paid {{paidName}} (until {{paidUntil}}) still delivers fixes, and only to images that use it (end-of-life table of {{tableDate}})',
      rolling: '{{os}} is a rolling release: it has no end of life and is as current as its packages',
      unknown: '{{os}} (ID {{id}}, VERSION_ID {{version}}) is not in the end-of-life table of {{tableDate}}: check the vendor\'s lifecycle',
      noOsRelease: 'no os-release file in the final filesystem (a scratch or distroless image?): the distribution cannot be told',
    },
  },
  check: forEachImageScan((contents, _filesystem, { snapshot }) => {
    const release = imageOsRelease(contents);
    if (!release) return { status: 'info', messageId: 'noOsRelease' };
    return judgeOsLifecycle(release.fields, snapshot.collectedAt);
  }),
});
