import type { ApiDocument } from '../../snapshot/types.js';
import { type Workload } from '../../views/workload.js';
import { str } from '../../snapshot/api-document.js';
import { imagesOf, repoDigests, repoTags, shortId } from '../shared/images.js';
import { defineRule, forEachWorkload } from '../define.js';

/** The inspect document of a workload's image: by id for containers, by reference otherwise. */
function imageOf(workload: Workload, images: ApiDocument[]): ApiDocument | undefined {
  if (workload.imageId) return images.find((image) => str(image, 'Id') === workload.imageId);
  const wanted = new Set([workload.image, `${workload.image}:latest`]);
  return images.find((image) => [...repoTags(image), ...repoDigests(image)].some((reference) => wanted.has(reference)));
}

export default defineRule({
  meta: {
    id: 'DA558',
    alias: 'container-image-digest',
    family: 'container',
    title: 'Container images carry a registry digest',
    severity: 'medium',
    rationale:
      'A repository digest is the checksum the daemon verified when it pulled the image; an image without one was built, imported or loaded on the host and nothing ties its content to what a registry published.',
    remediation:
      'Run images pulled from a registry you trust, ideally by digest (image@sha256:...); push locally built images to your registry and pull them from there.',
    references: { cis: [], checklist: ['IMG-2'] },
    needs: ['containers', 'images'],
    messages: {
      digestReference: 'created from the digest reference {{reference}}: the daemon checked the content against that digest',
      digest: 'image {{image}} carries the repository digest {{digest}}',
      noDigest:
        'image {{image}} ({{imageId}}) has no repository digest: it was built, imported or loaded on the host, so its content was never checked against a registry',
      imageUnknown: 'image {{image}} is not in the collected image list, so its digest cannot be checked',
    },
  },
  check: forEachWorkload((workload, { snapshot }) => {
    if (workload.image.includes('@sha256:')) {
      return { status: 'pass', messageId: 'digestReference', data: { reference: workload.image } };
    }
    const image = imageOf(workload, imagesOf(snapshot).map((facts) => facts.inspect));
    if (!image) return { status: 'skipped', messageId: 'imageUnknown', data: { image: workload.image } };
    const digest = repoDigests(image)[0];
    return digest
      ? { status: 'pass', messageId: 'digest', data: { image: workload.image, digest } }
      : { status: 'warn', messageId: 'noDigest', data: { image: workload.image, imageId: shortId(str(image, 'Id')) }, key: 'image' };
  }),
});
