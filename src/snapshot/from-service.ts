/**
 * Maps Swarm services onto the workload shape.
 */
import type { Snapshot } from './types.js';
import type { Workload } from './workload.js';

/** Every Swarm service of the snapshot as a workload. */
export function workloadsFromSwarm(snapshot: Snapshot): Workload[] {
  void snapshot;
  return [];
}
