/** The daemon rules, sorted by id. Each entry loads one rule file named after its id. */
import type { RuleLoader } from '../registry.js';

export const daemonRules: Record<string, RuleLoader> = {
  DA201: () => import('./DA201.js'),
  DA202: () => import('./DA202.js'),
  DA203: () => import('./DA203.js'),
  DA204: () => import('./DA204.js'),
  DA205: () => import('./DA205.js'),
  DA206: () => import('./DA206.js'),
  DA207: () => import('./DA207.js'),
  DA208: () => import('./DA208.js'),
  DA209: () => import('./DA209.js'),
  DA210: () => import('./DA210.js'),
  DA211: () => import('./DA211.js'),
  DA212: () => import('./DA212.js'),
  DA213: () => import('./DA213.js'),
  DA214: () => import('./DA214.js'),
  DA215: () => import('./DA215.js'),
  DA216: () => import('./DA216.js'),
  DA217: () => import('./DA217.js'),
  DA218: () => import('./DA218.js'),
  DA219: () => import('./DA219.js'),
};
