/**
 * Every external image a Dockerfile pulls: FROM bases, `COPY --from=<image>` and
 * `RUN --mount=from=<image>`, with the instruction that pulls it.
 */
import type { DockerfileInstruction, DockerfileModel, ImageReference } from '../../../parsers/dockerfile/snapshot-dockerfiles.js';

export interface PulledImage {
  image: ImageReference;
  /** How it is pulled, for messages: `FROM`, `COPY --from`, `RUN --mount from`. */
  use: string;
  instruction: DockerfileInstruction;
}

export function pulledImages(model: DockerfileModel): PulledImage[] {
  const pulled: PulledImage[] = [];
  for (const instruction of model.instructions) {
    addPulled(model, instruction, pulled);
    if (instruction.trigger) addPulled(model, instruction.trigger, pulled);
  }
  return pulled;
}

function addPulled(model: DockerfileModel, instruction: DockerfileInstruction, pulled: PulledImage[]): void {
  if (instruction.keyword === 'FROM') {
    const base = model.stages[instruction.stage]?.base;
    if (base?.kind === 'image') pulled.push({ image: base.image, use: 'FROM', instruction });
  }
  for (const source of instruction.fromSources ?? []) {
    if (source.kind === 'image') pulled.push({ image: source.image, use: instruction.keyword === 'RUN' ? 'RUN --mount from' : `${instruction.keyword} --from`, instruction });
  }
}
