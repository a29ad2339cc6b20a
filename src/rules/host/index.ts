/** The host rules, sorted by id. Each entry loads one rule file named after its id. */
import type { RuleLoader } from '../registry.js';

export const hostRules: Record<string, RuleLoader> = {
  DA101: () => import('./DA101.js'),
  DA102: () => import('./DA102.js'),
  DA103: () => import('./DA103.js'),
  DA104: () => import('./DA104.js'),
  DA105: () => import('./DA105.js'),
  DA106: () => import('./DA106.js'),
  DA107: () => import('./DA107.js'),
  DA108: () => import('./DA108.js'),
  DA109: () => import('./DA109.js'),
  DA110: () => import('./DA110.js'),
  DA111: () => import('./DA111.js'),
  DA150: () => import('./DA150.js'),
  DA151: () => import('./DA151.js'),
  DA152: () => import('./DA152.js'),
  DA153: () => import('./DA153.js'),
  DA154: () => import('./DA154.js'),
  DA155: () => import('./DA155.js'),
  DA156: () => import('./DA156.js'),
  DA157: () => import('./DA157.js'),
  DA158: () => import('./DA158.js'),
  DA159: () => import('./DA159.js'),
  DA160: () => import('./DA160.js'),
};
