import { isFullDigest } from '../../parsers/dockerfile/snapshot-dockerfiles.js';
import { defineRule } from '../define.js';
import { forEachDockerfile, type FileVerdict } from './support/each.js';
import { pulledImages } from './support/images.js';

type Messages = 'pinned' | 'untagged' | 'latest' | 'tagOnly' | 'unresolved';

export default defineRule({
  meta: {
    id: 'DA805',
    alias: 'dockerfile-image-pinned',
    family: 'dockerfile',
    title: 'Images a Dockerfile pulls are pinned by tag and digest',
    severity: 'medium',
    rationale:
      'An untagged or latest image changes under the build without notice, and even a version tag can be moved: only a digest guarantees that every build starts from the bytes that were reviewed.',
    remediation: 'Write every FROM (and COPY --from image) as name:version@sha256:<digest>; let a bot such as Renovate or Dependabot bump both.',
    references: { cis: [], checklist: ['IMG-3'] },
    needs: ['dockerfiles'],
    messages: {
      pinned: 'every pulled image has a tag and a digest',
      untagged: '{{use}} {{image}} has no tag: it means latest, which changes without notice',
      latest: '{{use}} {{image}} uses the latest tag, which changes without notice',
      tagOnly: '{{use}} {{image}} is pinned to tag {{tag}} but not to a digest: the tag can be moved',
      unresolved: '{{use}} {{image}} depends on build variables without a default ({{variables}}): check the values passed at build time',
    },
  },
  check: forEachDockerfile(
    (model) =>
      pulledImages(model).flatMap(({ image, use, instruction }): FileVerdict<Messages>[] => {
        const data = { use, image: image.text };
        if (image.unresolved.length > 0) return [{ status: 'manual', messageId: 'unresolved', data: { ...data, variables: image.unresolved.join(', ') }, at: instruction }];
        if (isFullDigest(image.digest)) return [];
        if (image.tag === undefined) return [{ status: 'fail', messageId: 'untagged', data, at: instruction }];
        if (image.tag === 'latest') return [{ status: 'fail', messageId: 'latest', data, at: instruction }];
        return [{ status: 'warn', messageId: 'tagOnly', data: { ...data, tag: image.tag }, at: instruction }];
      }),
    { pass: 'pinned' },
  ),
});
