/**
 * Dockerfiles as rules see them: every Dockerfile of the snapshot parsed once into the model
 * of ./dockerfile/types.ts (stages, instructions with locations, RUN scripts as commands).
 * Pure: the text comes from the snapshot, nothing is read here.
 */
import { parseDockerfile, skippedModel } from './dockerfile/parse.js';
import type { DockerfileModel } from './dockerfile/types.js';
import type { SourceFile } from './files.js';
import type { Snapshot } from './types.js';

export type * from './dockerfile/types.js';
export { dockerfileFromHistory, type HistoryEntry } from './dockerfile/history.js';
export { MAX_DOCKERFILE_BYTES, parseDockerfile } from './dockerfile/parse.js';
export { isFullDigest } from './dockerfile/image-ref.js';
export { flagOptions } from './dockerfile/build.js';
export { POSIX_SHELLS, programName, shellReadsStdin, shellScriptArgument } from './dockerfile/wrappers.js';

const models = new WeakMap<SourceFile, DockerfileModel>();

/** The model of one Dockerfile source file, parsed once. */
export function dockerfileOf(file: SourceFile): DockerfileModel {
  let model = models.get(file);
  if (model === undefined) {
    model =
      file.skipped !== undefined || file.content === undefined
        ? skippedModel(file.path, file.skipped ?? 'the file could not be read')
        : parseDockerfile(file.path, file.content);
    models.set(file, model);
  }
  return model;
}

/** Every Dockerfile of the snapshot, in the order given, skipped ones included (with `skipped` set). */
export function dockerfilesOf(snapshot: Snapshot): DockerfileModel[] {
  return (snapshot.files?.files ?? []).filter((file) => file.kind === 'dockerfile').map(dockerfileOf);
}
