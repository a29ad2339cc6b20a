/** The files rules, sorted by id. Each entry loads one rule file named after its id. */
import type { RuleLoader } from '../registry.js';

export const filesRules: Record<string, RuleLoader> = {
  DA301: () => import('./DA301.js'),
  DA302: () => import('./DA302.js'),
  DA303: () => import('./DA303.js'),
  DA304: () => import('./DA304.js'),
  DA305: () => import('./DA305.js'),
  DA306: () => import('./DA306.js'),
  DA307: () => import('./DA307.js'),
  DA308: () => import('./DA308.js'),
  DA309: () => import('./DA309.js'),
  DA310: () => import('./DA310.js'),
  DA311: () => import('./DA311.js'),
  DA312: () => import('./DA312.js'),
  DA313: () => import('./DA313.js'),
  DA314: () => import('./DA314.js'),
  DA315: () => import('./DA315.js'),
  DA316: () => import('./DA316.js'),
  DA317: () => import('./DA317.js'),
  DA318: () => import('./DA318.js'),
  DA319: () => import('./DA319.js'),
  DA320: () => import('./DA320.js'),
  DA321: () => import('./DA321.js'),
  DA322: () => import('./DA322.js'),
  DA323: () => import('./DA323.js'),
  DA324: () => import('./DA324.js'),
};
