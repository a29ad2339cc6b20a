/** The daemon rules, sorted by id. Each entry loads one rule file named after its id. */
import type { RuleLoader } from '../registry.js';

export const daemonRules: Record<string, RuleLoader> = {
  DA203: () => import('./DA203.js'),
};
