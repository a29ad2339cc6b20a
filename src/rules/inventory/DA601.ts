import * as z from '../../zod.js';
import { isUnavailable } from '../../snapshot/types.js';
import { str } from '../../snapshot/api-document.js';
import { defineRule } from '../define.js';
import { imageSubject, imagesOf, repoTags } from '../shared/images.js';
import type { Subject } from '../types.js';

const HOST_SUBJECT: Subject = { kind: 'host', name: 'docker' };
/** How many unused images a message names before it just counts. */
const LISTED = 10;

export default defineRule({
  meta: {
    id: 'DA601',
    alias: 'inventory-image-sprawl',
    family: 'inventory',
    title: 'Image sprawl is kept in check',
    severity: 'low',
    rationale:
      'Images nobody runs still take disk space, still carry their vulnerabilities into every scan and can be started by mistake; dangling images are leftovers of rebuilds.',
    remediation: 'Remove images no container uses (docker image prune -a, after checking the list) and dangling ones (docker image prune), ideally on a schedule.',
    references: { cis: ['6.1'], checklist: [] },
    needs: ['images', 'containers'],
    messages: {
      sprawl:
        '{{total}} images: {{used}} used by containers, {{unused}} unused (more than {{threshold}}), {{dangling}} dangling; unused: {{names}}',
      counts: '{{total}} images: {{used}} used by containers, {{unused}} unused, {{dangling}} dangling',
    },
  },
  options: z.object({
    /** More unused images than this is reported as a warning. */
    maxUnusedImages: z._default(z.int().check(z.gte(0)), 25),
  }),
  check: ({ snapshot, options }) => {
    const images = imagesOf(snapshot);
    const usedIds = new Set(isUnavailable(snapshot.containers) ? [] : snapshot.containers.map((container) => str(container.inspect, 'Image')));
    const unused = images.filter((image) => !usedIds.has(str(image.inspect, 'Id')));
    const dangling = images.filter((image) => repoTags(image.inspect).length === 0);
    const data = {
      total: images.length,
      used: images.length - unused.length,
      unused: unused.length,
      dangling: dangling.length,
      threshold: options.maxUnusedImages,
    };
    if (unused.length > options.maxUnusedImages) {
      const listed = unused.slice(0, LISTED).map((image) => imageSubject(image.inspect).name ?? '');
      const names = listed.join(', ') + (unused.length > LISTED ? ` and ${unused.length - LISTED} more` : '');
      return [{ subject: HOST_SUBJECT, status: 'warn', messageId: 'sprawl', data: { ...data, names } }];
    }
    return [{ subject: HOST_SUBJECT, status: 'info', messageId: 'counts', data }];
  },
});
