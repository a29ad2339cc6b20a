import { defineRule } from '../define.js';
import { bytesLabel, forEachImageScan } from './support/each-scan.js';
import { BUILD_LEFTOVER_LABELS, describeLeftovers, totalBytes } from './support/leftovers.js';

export default defineRule({
  meta: {
    id: 'DA456',
    alias: 'image-build-leftovers',
    family: 'image',
    title: 'Images do not ship version-control directories or build caches',
    severity: 'medium',
    rationale:
      'A .git directory copied into an image carries the whole history of the source: deleted files, old secrets, internal URLs and often a remote URL with a token. Build caches add weight and show how the image was made. Both are usually a missing .dockerignore.',
    remediation:
      'Add .git (and other VCS directories) to .dockerignore, copy only what the application needs, and build in a separate stage whose caches stay out of the final image.',
    references: { cis: [], checklist: ['IMG-4'], related: ['4.3'] },
    needs: ['imageContents'],
    messages: {
      leftovers: 'build leftovers in the image, {{total}} in all: {{leftovers}}',
      none: 'no version-control directory or build cache in the {{layers}} layer(s)',
    },
  },
  check: forEachImageScan((contents, filesystem) => {
    const found = filesystem.leftovers.filter((placed) => placed.fact.kind in BUILD_LEFTOVER_LABELS);
    if (found.length === 0) return { status: 'pass', messageId: 'none', data: { layers: contents.layers.length } };
    return { status: 'warn', messageId: 'leftovers', data: { total: bytesLabel(totalBytes(found)), leftovers: describeLeftovers(contents, found, BUILD_LEFTOVER_LABELS) } };
  }),
});
