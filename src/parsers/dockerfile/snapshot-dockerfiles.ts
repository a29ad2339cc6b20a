/**
 * Dockerfiles as rules see them: every Dockerfile of the snapshot parsed once into the model
 * of ./dockerfile/types.ts (stages, instructions with locations, RUN scripts as commands).
 * Pure: the text comes from the snapshot, nothing is read here.
 */
import { parseDockerfile, skippedModel } from './parse.js';
import type { DockerfileModel } from './types.js';
import type { SourceFile } from '../../snapshot/files.js';
import { dockerfileFromHistory, type HistoryEntry } from './history.js';
import { isUnavailable, type ImageFacts, type Snapshot } from '../../snapshot/types.js';
import { str, strings } from '../../snapshot/api-document.js';

export type * from './types.js';
export { dockerfileFromHistory, type HistoryEntry } from './history.js';
export { MAX_DOCKERFILE_BYTES, parseDockerfile } from './parse.js';
export { isFullDigest } from './image-ref.js';
export { flagOptions } from './build.js';
export { POSIX_SHELLS, programName, shellReadsStdin, shellScriptArgument } from './wrappers.js';

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

/** A Dockerfile model rebuilt from an image's history, with the image it describes. */
export interface HistoryModel {
  model: DockerfileModel;
  image: { id: string; name: string };
}

const historyModels = new WeakMap<ImageFacts, HistoryModel>();

/**
 * The build histories of the snapshot's images as Dockerfile models, so that images with no
 * Dockerfile at hand (pulled, loaded) get the Dockerfile rules too. Only when image analysis
 * was asked for (the snapshot carries image scans): a plain host audit stays about the host.
 */
export function historyModelsOf(snapshot: Snapshot): HistoryModel[] {
  if (snapshot.imageContents === undefined || isUnavailable(snapshot.images)) return [];
  const scanned = new Set(snapshot.imageContents.map((contents) => ('id' in contents && typeof contents.id === 'string' ? contents.id : '')));
  return snapshot.images.flatMap((image) => {
    const id = str(image.inspect, 'Id');
    if (scanned.size > 0 && !scanned.has(id) && !scanned.has('')) return [];
    if (!Array.isArray(image.history)) return [];
    let entry = historyModels.get(image);
    if (entry === undefined) {
      const name = strings(image.inspect, 'RepoTags').find((tag) => tag !== '<none>:<none>') ?? id.replace(/^sha256:/, '').slice(0, 12);
      entry = { model: dockerfileFromHistory(name, image.history as HistoryEntry[]), image: { id, name } };
      historyModels.set(image, entry);
    }
    return [entry];
  });
}
