/**
 * The rule registry: one explicit, sorted map per family (its `index.ts`), each family loaded
 * only when asked for, so an audit with no Dockerfile does not pay for the Dockerfile parser.
 * A meta-test checks that every rule file is registered under its own id, in order.
 */
import { RULE_FAMILIES, type AnyRule, type RuleFamily } from './types.js';

type FamilyLoader = () => Promise<Record<string, AnyRule>>;

const FAMILY_LOADERS: Record<RuleFamily, FamilyLoader> = {
  host: async () => (await import('./host/index.js')).hostRules,
  daemon: async () => (await import('./daemon/index.js')).daemonRules,
  files: async () => (await import('./files/index.js')).filesRules,
  image: async () => (await import('./image/index.js')).imageRules,
  container: async () => (await import('./container/index.js')).containerRules,
  inventory: async () => (await import('./inventory/index.js')).inventoryRules,
  swarm: async () => (await import('./swarm/index.js')).swarmRules,
  dockerfile: async () => (await import('./dockerfile/index.js')).dockerfileRules,
  compose: async () => (await import('./compose/index.js')).composeRules,
};

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

/** The family of a rule id, from its range (DA5xx: containers...). */
export function familyOfId(id: string): RuleFamily | undefined {
  return FAMILY_BY_DIGIT[id.charAt(2)];
}

/** Loads the registered rules of `families` (all when not given), in id order. */
export async function loadRules(families: readonly RuleFamily[] = RULE_FAMILIES): Promise<AnyRule[]> {
  const loaded = await Promise.all(families.map((family) => FAMILY_LOADERS[family]()));
  return loaded
    .flatMap((rules) => Object.values(rules))
    .sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
}
