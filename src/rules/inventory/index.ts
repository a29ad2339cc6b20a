/** The inventory rules, sorted by id. Each entry loads one rule file named after its id. */
import type { RuleLoader } from '../registry.js';

export const inventoryRules: Record<string, RuleLoader> = {
  DA601: () => import('./DA601.js'),
  DA602: () => import('./DA602.js'),
};
