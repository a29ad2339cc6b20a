import * as z from '../../zod.js';
import { defineRule } from '../define.js';
import { bytesLabel, forEachImageScan } from './support/each-scan.js';
import { PACKAGE_CACHE_LABELS, describeLeftovers, totalBytes } from './support/leftovers.js';

export default defineRule({
  meta: {
    id: 'DA454',
    alias: 'image-package-caches',
    family: 'image',
    title: 'Images do not ship package manager caches',
    severity: 'low',
    rationale:
      'Package lists and downloaded packages left in a layer make every pull and every container start carry dead weight, and keep a record of repositories and versions that helps nobody but someone mapping the image; a cache deleted in a later layer still ships in the layer that wrote it.',
    remediation:
      'Clean up in the same RUN that installs: apt-get install ... && rm -rf /var/lib/apt/lists/*, apk add --no-cache, pip install --no-cache-dir, npm ci && npm cache clean --force; or use a cache mount (RUN --mount=type=cache).',
    references: { cis: [], checklist: ['IMG-4'], related: ['4.3'] },
    needs: ['imageContents'],
    messages: {
      caches: 'package manager caches in the image, {{total}} in all: {{caches}}',
      none: 'no package manager cache in the {{layers}} layer(s)',
    },
  },
  options: z.object({
    /** Caches smaller than this many bytes are not reported. */
    minBytes: z._default(z.int().check(z.gte(0)), 1),
  }),
  check: forEachImageScan((contents, filesystem, { options }) => {
    const found = filesystem.leftovers.filter((placed) => placed.fact.kind in PACKAGE_CACHE_LABELS && placed.fact.bytes >= options.minBytes);
    if (found.length === 0) return { status: 'pass', messageId: 'none', data: { layers: contents.layers.length } };
    return { status: 'warn', messageId: 'caches', data: { total: bytesLabel(totalBytes(found)), caches: describeLeftovers(contents, found, PACKAGE_CACHE_LABELS) } };
  }),
});
