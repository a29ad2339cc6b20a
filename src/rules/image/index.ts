/** The image rules, sorted by id. Each entry loads one rule file named after its id. */
import type { RuleLoader } from '../registry.js';

export const imageRules: Record<string, RuleLoader> = {
  DA401: () => import('./DA401.js'),
  DA402: () => import('./DA402.js'),
  DA403: () => import('./DA403.js'),
  DA404: () => import('./DA404.js'),
  DA405: () => import('./DA405.js'),
  DA406: () => import('./DA406.js'),
  DA407: () => import('./DA407.js'),
};
