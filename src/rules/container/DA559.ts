import { isImageIdReference, parseImageReference } from '../../parsers/image-reference.js';
import { defineRule, forEachWorkload } from '../define.js';

export default defineRule({
  meta: {
    id: 'DA559',
    alias: 'container-image-pinned',
    family: 'container',
    title: 'Container images are referenced by version and digest',
    severity: 'medium',
    rationale:
      'A reference without a tag means latest, and latest or any tag can be moved to different content at any time; only a digest names exactly the image that was tested, and a tag next to it says which version that is.',
    remediation: 'Reference images as name:version@sha256:digest (docker run nginx:1.25.3@sha256:..., image: nginx:1.25.3@sha256:... in Compose).',
    references: { cis: [], checklist: ['IMG-3'] },
    needs: ['containers'],
    messages: {
      noTag: 'image {{image}} has no tag or digest, so it means {{image}}:latest',
      latest: 'image {{image}} uses the latest tag without a digest',
      tagOnly: 'image {{image}} names version {{tag}} but no digest: the tag can be moved to other content',
      imageId: 'image referenced by its local id {{image}}: pinned on this host only, with no version and no registry reference',
      pinned: 'image {{image}} is pinned by digest {{digest}}',
      built: 'image {{image}} is built from a Dockerfile: what it pulls is pinned, or not, in its FROM lines (see DA805)',
    },
  },
  check: forEachWorkload((workload) => {
    const image = workload.image;
    // A locally built image has no registry content to pin; its base images do (DA805).
    if (workload.built) return { status: 'pass', messageId: 'built', data: { image } };
    if (isImageIdReference(image, workload.imageId)) return { status: 'warn', messageId: 'imageId', data: { image }, key: 'image' };
    const { tag, digest } = parseImageReference(image);
    if (digest) return { status: 'pass', messageId: 'pinned', data: { image, digest } };
    if (tag === undefined) return { status: 'fail', messageId: 'noTag', data: { image }, key: 'image' };
    if (tag === 'latest') return { status: 'fail', messageId: 'latest', data: { image }, key: 'image' };
    return { status: 'warn', messageId: 'tagOnly', data: { image, tag }, key: 'image' };
  }),
});
