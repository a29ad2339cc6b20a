/** The swarm rules, sorted by id. Each entry loads one rule file named after its id. */
import type { RuleLoader } from '../registry.js';

export const swarmRules: Record<string, RuleLoader> = {
  DA701: () => import('./DA701.js'),
  DA702: () => import('./DA702.js'),
  DA703: () => import('./DA703.js'),
  DA704: () => import('./DA704.js'),
  DA705: () => import('./DA705.js'),
  DA706: () => import('./DA706.js'),
  DA707: () => import('./DA707.js'),
  DA708: () => import('./DA708.js'),
  DA709: () => import('./DA709.js'),
};
