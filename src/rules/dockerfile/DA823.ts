import { defineRule } from '../define.js';
import { allInstructions, forEachDockerfile, type FileVerdict } from './support/each.js';

type Messages = 'noImageOverlay' | 'imageOverlay';

/** `/`, `/.`, `//`: the root of the source image. */
function isRoot(path: string): boolean {
  return /^\/+\.?\/*$/.test(path);
}

export default defineRule({
  meta: {
    id: 'DA823',
    alias: 'dockerfile-copy-image-root',
    family: 'dockerfile',
    title: 'No other image is copied whole over a stage',
    severity: 'medium',
    rationale:
      "COPY --from=IMAGE / / lays every file of another image over the stage: its /etc/passwd and /etc/group, setuid binaries, shell, libraries and package database replace the base image's, so the result is an unreviewed mix of two distributions that no scanner or package manager describes correctly, and it changes whenever that image's tag moves.",
    remediation:
      'Copy only the files needed (COPY --from=IMAGE /usr/local/bin/tool /usr/local/bin/), pinned by digest; or build FROM that image instead of over another one.',
    references: { cis: [], checklist: ['IMG-4'] },
    needs: ['dockerfiles'],
    messages: {
      noImageOverlay: 'no image is copied whole over a stage',
      imageOverlay: 'COPY --from={{image}} / / copies the whole filesystem of that image over a stage built FROM {{base}}',
    },
  },
  check: forEachDockerfile(
    (model) =>
      allInstructions(model).flatMap((instruction): FileVerdict<Messages>[] => {
        if (instruction.keyword !== 'COPY' || !isRoot(instruction.destination ?? '') || !(instruction.sources ?? []).some(isRoot)) return [];
        const source = instruction.fromSources?.find((from) => from.kind === 'image');
        if (source?.kind !== 'image') return [];
        const stage = model.stages[instruction.stage];
        // Over an empty stage the copy is the image itself, like FROM: nothing is mixed.
        if (stage === undefined || stage.base.kind === 'scratch') return [];
        const base = stage.base.kind === 'image' ? stage.base.image.text : stage.base.kind === 'stage' ? `stage ${model.stages[stage.base.stage]?.name ?? stage.base.stage}` : 'an unknown base';
        return [{ status: 'fail', messageId: 'imageOverlay', data: { image: source.image.text, base }, at: instruction }];
      }),
    { pass: 'noImageOverlay', needsStage: true },
  ),
});
