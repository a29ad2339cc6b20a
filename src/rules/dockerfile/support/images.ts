/**
 * Every external image a Dockerfile pulls: FROM bases, `COPY --from=<image>` and
 * `RUN --mount=from=<image>`, with the instruction that pulls it.
 */
import type { DockerfileInstruction, DockerfileModel, ImageReference } from '../../../snapshot/dockerfile.js';

export interface PulledImage {
  image: ImageReference;
  /** How it is pulled, for messages: `FROM`, `COPY --from`, `RUN --mount from`. */
  use: string;
  instruction: DockerfileInstruction;
}

export function pulledImages(model: DockerfileModel): PulledImage[] {
  const pulled: PulledImage[] = [];
  for (const instruction of model.instructions) {
    const candidates = instruction.trigger ? [instruction, instruction.trigger] : [instruction];
    for (const candidate of candidates) {
      if (candidate.keyword === 'FROM') {
        const base = model.stages[candidate.stage]?.base;
        if (base?.kind === 'image') pulled.push({ image: base.image, use: 'FROM', instruction: candidate });
      }
      for (const source of candidate.fromSources ?? []) {
        if (source.kind === 'image') pulled.push({ image: source.image, use: candidate.keyword === 'RUN' ? 'RUN --mount from' : `${candidate.keyword} --from`, instruction: candidate });
      }
    }
  }
  return pulled;
}
