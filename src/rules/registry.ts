/**
 * The rule registry: explicit, sorted maps from rule id to a lazy import, one per family.
 * A meta-test checks that every rule file is registered under its own id, in order.
 */
import type { AnyRule } from './types.js';
import { composeRules } from './compose/index.js';
import { containerRules } from './container/index.js';
import { daemonRules } from './daemon/index.js';
import { dockerfileRules } from './dockerfile/index.js';
import { filesRules } from './files/index.js';
import { hostRules } from './host/index.js';
import { imageRules } from './image/index.js';
import { inventoryRules } from './inventory/index.js';
import { swarmRules } from './swarm/index.js';

export type RuleLoader = () => Promise<{ default: AnyRule }>;

/** Every rule id with its loader, across families, sorted by id. */
export const RULE_LOADERS: ReadonlyMap<string, RuleLoader> = new Map(
  Object.entries({
    ...hostRules,
    ...daemonRules,
    ...filesRules,
    ...imageRules,
    ...containerRules,
    ...inventoryRules,
    ...swarmRules,
    ...dockerfileRules,
    ...composeRules,
  }).sort(([a], [b]) => a.localeCompare(b)),
);

/** Loads every registered rule, in id order. */
export async function loadRules(): Promise<AnyRule[]> {
  return Promise.all([...RULE_LOADERS.values()].map(async (load) => (await load()).default));
}
