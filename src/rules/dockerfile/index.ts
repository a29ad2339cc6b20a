/** The dockerfile rules, sorted by id. Each entry loads one rule file named after its id. */
import type { RuleLoader } from '../registry.js';

export const dockerfileRules: Record<string, RuleLoader> = {
  DA801: () => import('./DA801.js'),
  DA802: () => import('./DA802.js'),
  DA803: () => import('./DA803.js'),
  DA804: () => import('./DA804.js'),
  DA805: () => import('./DA805.js'),
  DA806: () => import('./DA806.js'),
  DA807: () => import('./DA807.js'),
  DA808: () => import('./DA808.js'),
  DA809: () => import('./DA809.js'),
  DA810: () => import('./DA810.js'),
  DA811: () => import('./DA811.js'),
  DA812: () => import('./DA812.js'),
  DA813: () => import('./DA813.js'),
  DA814: () => import('./DA814.js'),
  DA815: () => import('./DA815.js'),
  DA816: () => import('./DA816.js'),
  DA817: () => import('./DA817.js'),
  DA818: () => import('./DA818.js'),
  DA819: () => import('./DA819.js'),
  DA820: () => import('./DA820.js'),
  DA821: () => import('./DA821.js'),
};
