import { defineRule } from '../define.js';
import { capped, forEachImageScan, layerLabel } from './support/each-scan.js';

export default defineRule({
  meta: {
    id: 'DA457',
    alias: 'image-unsafe-entries',
    family: 'image',
    title: 'Image layers hold no entry that escapes the image root',
    severity: 'critical',
    rationale:
      'A layer entry named with ../ or an absolute path, or a link whose target climbs out of the root, is written outside the image by any tool that unpacks the layer naively: it is the shape of a crafted image meant to overwrite host files, and no honest build produces it.',
    remediation: 'Do not load or run the image; find where it came from, and rebuild it from a trusted Dockerfile.',
    references: { cis: [], checklist: ['IMG-1'] },
    needs: ['imageContents'],
    messages: {
      unsafeEntries: '{{count}} layer entr(y/ies) leaving the image root: {{entries}}',
      none: 'every entry of the {{layers}} layer(s) stays inside the image root',
    },
  },
  check: forEachImageScan((contents, filesystem) => {
    if (filesystem.unsafe.length === 0) return { status: 'pass', messageId: 'none', data: { layers: contents.layers.length } };
    const entries = capped(filesystem.unsafe.map((placed) => `${placed.fact.path} (${placed.fact.reason}, ${layerLabel(contents, placed.layer)})`));
    return { status: 'fail', messageId: 'unsafeEntries', data: { count: filesystem.unsafe.length, entries } };
  }),
});
