/** The compose rules, sorted by id. Each entry loads one rule file named after its id. */
import type { RuleLoader } from '../registry.js';

export const composeRules: Record<string, RuleLoader> = {
  DA901: () => import('./DA901.js'),
  DA902: () => import('./DA902.js'),
  DA903: () => import('./DA903.js'),
  DA904: () => import('./DA904.js'),
  DA905: () => import('./DA905.js'),
  DA906: () => import('./DA906.js'),
  DA907: () => import('./DA907.js'),
  DA908: () => import('./DA908.js'),
  DA909: () => import('./DA909.js'),
};
