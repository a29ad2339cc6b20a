/** The container rules, sorted by id. Each entry loads one rule file named after its id. */
import type { RuleLoader } from '../registry.js';

export const containerRules: Record<string, RuleLoader> = {
  DA505: () => import('./DA505.js'),
};
