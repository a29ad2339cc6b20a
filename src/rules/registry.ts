/**
 * The rule registry: explicit, sorted maps from rule id to a lazy import, one per family.
 * A meta-test checks that every rule file is registered under its own id, in order.
 */
import type { AnyRule, RuleFamily } from './types.js';
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

const FAMILY_BY_DIGIT: Record<string, RuleFamily> = {
  '1': 'host',
  '2': 'daemon',
  '3': 'files',
  '4': 'image',
  '5': 'container',
  '6': 'inventory',
  '7': 'swarm',
  '8': 'dockerfile',
  '9': 'compose',
};

/** The family of a rule id, from its range (DA5xx: containers…). */
export function familyOfId(id: string): RuleFamily | undefined {
  return FAMILY_BY_DIGIT[id.charAt(2)];
}

/**
 * Loads the registered rules, in id order; only those of `families` when given, so an audit
 * with no Dockerfile does not pay for loading the Dockerfile parser.
 */
export async function loadRules(families?: readonly RuleFamily[]): Promise<AnyRule[]> {
  const wanted = [...RULE_LOADERS].filter(([id]) => {
    const family = familyOfId(id);
    return families === undefined || (family !== undefined && families.includes(family));
  });
  return Promise.all(wanted.map(async ([, load]) => (await load()).default));
}
