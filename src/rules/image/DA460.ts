import type { RuleResult } from '../types.js';
import { defineRule } from '../define.js';
import { scanSubject } from './support/each-scan.js';

export default defineRule({
  meta: {
    id: 'DA460',
    alias: 'image-scan-limits',
    family: 'image',
    title: 'Image layers were read whole, within the scan caps',
    severity: 'high',
    rationale:
      'A scanner that gives up on what is too large must not report the image as clean: millions of entries, a layer that decompresses to gigabytes or thousands of layers are how a crafted image hides a secret or an escaping entry from a scan, or exhausts the machine that scans it. The scan stops at its caps, and the image counts as not audited.',
    remediation:
      'Find out why the image is that large. If it is yours and genuinely so, raise the cap the finding names (--max-layer-entries, --max-layer-bytes, --max-image-bytes, --max-layers); otherwise do not load or run it.',
    references: { cis: [], checklist: ['IMG-1'] },
    needs: ['imageContents'],
    messages: {
      overLimit: 'not audited: {{reason}}',
      withinLimits: '{{layers}} layer(s) read whole: {{entries}} entries',
    },
  },
  check: ({ snapshot }) =>
    (snapshot.imageContents ?? []).flatMap((entry): RuleResult[] => {
      const subject = scanSubject(entry);
      if ('unavailable' in entry) {
        // Other reasons (an image the daemon could not export) are collection problems of the report.
        return entry.limit ? [{ subject, status: 'error', messageId: 'overLimit', data: { reason: entry.limit.message } }] : [];
      }
      let entries = 0;
      for (const key of entry.layers) entries += entry.scans[key]?.entries ?? 0;
      return [{ subject, status: 'pass', messageId: 'withinLimits', data: { layers: entry.layers.length, entries } }];
    }),
});
