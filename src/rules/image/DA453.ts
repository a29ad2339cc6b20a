import * as z from '../../zod.js';
import type { LayerEntryFact } from '../../snapshot/image-contents.js';
import { defineRule } from '../define.js';
import { capped, forEachImageScan, imagePath, layerLabel } from './support/each-scan.js';
import { pathAllowed } from './support/paths.js';

function describe(fact: LayerEntryFact): string {
  const what = fact.type === 'directory' ? 'directory without sticky bit' : fact.type === 'file' ? 'file' : fact.type;
  return `${what} ${(fact.mode & 0o7777).toString(8).padStart(4, '0')}`;
}

export default defineRule({
  meta: {
    id: 'DA453',
    alias: 'image-world-writable',
    family: 'image',
    title: 'Images hold no world-writable files, nor world-writable directories without the sticky bit',
    severity: 'medium',
    rationale:
      'Any user of the container can change a world-writable file, and replace or delete what others put in a world-writable directory without the sticky bit: a program, script or configuration found there can be swapped for one that runs with the rights of whoever uses it next, root included.',
    remediation:
      'Fix the modes in the Dockerfile (chmod o-w, or chmod +t for shared directories such as /tmp), give the application its own writable directory owned by its user, or list accepted paths in the allowedPaths option.',
    references: { cis: [], checklist: ['PERM-2'] },
    needs: ['imageContents'],
    messages: {
      worldWritable: '{{count}} world-writable path(s) in the final filesystem: {{paths}}',
      none: 'no world-writable file, nor world-writable directory without the sticky bit, in the final filesystem',
    },
  },
  options: z.object({
    /** Paths (`/var/run/app.sock`, or `/srv/shared/*`) accepted as world-writable. */
    allowedPaths: z._default(z.array(z.string().check(z.minLength(1))), []),
  }),
  check: forEachImageScan((contents, filesystem, { options }) => {
    const found = filesystem.worldWritable.filter((placed) => placed.removedBy === undefined && !pathAllowed(placed.fact.path, options.allowedPaths));
    if (found.length === 0) return { status: 'pass', messageId: 'none' };
    const paths = capped(found.map((placed) => `${imagePath(placed.fact.path)} (${describe(placed.fact)}, ${layerLabel(contents, placed.layer)})`));
    return { status: 'fail', messageId: 'worldWritable', data: { count: found.length, paths } };
  }),
});
