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
  DA450: () => import('./DA450.js'),
  DA451: () => import('./DA451.js'),
  DA452: () => import('./DA452.js'),
  DA453: () => import('./DA453.js'),
  DA454: () => import('./DA454.js'),
  DA455: () => import('./DA455.js'),
  DA456: () => import('./DA456.js'),
  DA457: () => import('./DA457.js'),
  DA458: () => import('./DA458.js'),
  DA459: () => import('./DA459.js'),
};
