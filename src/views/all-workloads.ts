/**
 * All workloads of a snapshot, in one list, for the container rules.
 */
import { workloadFromContainer } from './from-container.js';
import { workloadsFromSwarm } from './from-service.js';
import { isUnavailable, type ApiDocument, type ContainerFacts, type Snapshot } from '../snapshot/types.js';
import { type Workload } from './workload.js';
import { str } from '../snapshot/api-document.js';

/** Image inspect documents of the snapshot, by image id. */
export function imagesById(snapshot: Snapshot): Map<string, ApiDocument> {
  const images = new Map<string, ApiDocument>();
  if (isUnavailable(snapshot.images)) return images;
  for (const image of snapshot.images) images.set(str(image.inspect, 'Id'), image.inspect);
  return images;
}

/** Every live container of the snapshot as a workload. */
export function containerWorkloads(snapshot: Snapshot): Workload[] {
  if (isUnavailable(snapshot.containers)) return [];
  const images = imagesById(snapshot);
  return snapshot.containers.map((container) =>
    workloadFromContainer(container, images.get(str(container.inspect, 'Image'))),
  );
}

/**
 * The live workloads of the snapshot: containers and Swarm services. Compose services come from
 * `workloadsFromCompose` (from-compose.ts), kept apart so that a host audit does not load the
 * YAML parser and the Compose schema.
 */
export function workloadsOf(snapshot: Snapshot): Workload[] {
  return [...containerWorkloads(snapshot), ...workloadsFromSwarm(snapshot)];
}

const containerIndexes = new WeakMap<ContainerFacts[], Map<string, ContainerFacts>>();

/**
 * The collected facts (raw inspect, processes) of a live container's workload, by id through an
 * index built once per snapshot; undefined for services and Compose services.
 */
export function containerFactsOf(snapshot: Snapshot, workload: Workload): ContainerFacts | undefined {
  if (workload.kind !== 'container' || !workload.id || isUnavailable(snapshot.containers)) return undefined;
  let index = containerIndexes.get(snapshot.containers);
  if (index === undefined) {
    index = new Map(snapshot.containers.map((container) => [str(container.inspect, 'Id'), container]));
    containerIndexes.set(snapshot.containers, index);
  }
  return index.get(workload.id);
}
