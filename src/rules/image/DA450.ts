import * as z from '../../zod.js';
import type { LayerEntryFact } from '../../snapshot/image-contents.js';
import { defineRule } from '../define.js';
import { capped, forEachImageScan, imagePath, layerLabel } from './support/each-scan.js';
import { pathAllowed } from './support/paths.js';

/** `setuid root`, `setgid`, `setuid+setgid uid 1000`: what the bits give and to whom. */
function privilege(fact: LayerEntryFact): string {
  const bits = [(fact.mode & 0o4000) !== 0 ? 'setuid' : '', (fact.mode & 0o2000) !== 0 ? 'setgid' : ''].filter(Boolean).join('+');
  const owner = (fact.mode & 0o4000) !== 0 ? (fact.uid === 0 ? ' root' : ` uid ${fact.uid}`) : '';
  return `${bits}${owner} ${(fact.mode & 0o7777).toString(8).padStart(4, '0')}`;
}

export default defineRule({
  meta: {
    id: 'DA450',
    alias: 'image-setuid-files',
    family: 'image',
    title: 'Images hold no setuid or setgid files',
    severity: 'high',
    rationale:
      'A setuid or setgid program runs with its owner\'s or group\'s rights whoever starts it: one flaw in it, or one misuse of what it allows, turns any process of the container into root (or into that group), which is the first step of most container escapes.',
    remediation:
      'Remove the bits in the Dockerfile (RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +), drop the packages that need them, or list the programs the image really needs in the allowedPaths option.',
    references: { cis: ['4.8'], checklist: ['PERM-2'] },
    needs: ['imageContents'],
    messages: {
      setuidFiles: '{{count}} setuid/setgid file(s) in the final filesystem: {{files}}',
      onlyAllowed: 'only allowed setuid/setgid files in the final filesystem: {{files}}',
      none: 'no setuid or setgid file in the final filesystem ({{layers}} layer(s) scanned)',
    },
  },
  options: z.object({
    /** Paths (`/usr/bin/passwd`, or `/opt/tool/*` for a directory) whose setuid/setgid bits are accepted. */
    allowedPaths: z._default(z.array(z.string().check(z.minLength(1))), []),
  }),
  check: forEachImageScan((contents, filesystem, { options }) => {
    const present = filesystem.setuid.filter((placed) => placed.removedBy === undefined);
    const allowed = present.filter((placed) => pathAllowed(placed.fact.path, options.allowedPaths));
    const reported = present.filter((placed) => !allowed.includes(placed));
    const describe = (list: typeof present): string =>
      capped(list.map((placed) => `${imagePath(placed.fact.path)} (${privilege(placed.fact)}, ${layerLabel(contents, placed.layer)})`));
    if (reported.length > 0) {
      // A program that becomes root is worse than one that only gains a group.
      const rootOwned = reported.some((placed) => (placed.fact.mode & 0o4000) !== 0 && placed.fact.uid === 0);
      return { status: 'fail', messageId: 'setuidFiles', data: { count: reported.length, files: describe(reported) }, severity: rootOwned ? 'high' : 'medium' };
    }
    if (allowed.length > 0) return { status: 'pass', messageId: 'onlyAllowed', data: { files: describe(allowed) } };
    return { status: 'pass', messageId: 'none', data: { layers: contents.layers.length } };
  }),
});
