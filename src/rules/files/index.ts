/** The files rules, sorted by id: one file per rule, named after its id. */
import type { AnyRule } from '../types.js';
import DA301 from './DA301.js';
import DA302 from './DA302.js';
import DA303 from './DA303.js';
import DA304 from './DA304.js';
import DA305 from './DA305.js';
import DA306 from './DA306.js';
import DA307 from './DA307.js';
import DA308 from './DA308.js';
import DA309 from './DA309.js';
import DA310 from './DA310.js';
import DA311 from './DA311.js';
import DA312 from './DA312.js';
import DA313 from './DA313.js';
import DA314 from './DA314.js';
import DA315 from './DA315.js';
import DA316 from './DA316.js';
import DA317 from './DA317.js';
import DA318 from './DA318.js';
import DA319 from './DA319.js';
import DA320 from './DA320.js';
import DA321 from './DA321.js';
import DA322 from './DA322.js';
import DA323 from './DA323.js';
import DA324 from './DA324.js';

export const filesRules: Record<string, AnyRule> = {
  DA301,
  DA302,
  DA303,
  DA304,
  DA305,
  DA306,
  DA307,
  DA308,
  DA309,
  DA310,
  DA311,
  DA312,
  DA313,
  DA314,
  DA315,
  DA316,
  DA317,
  DA318,
  DA319,
  DA320,
  DA321,
  DA322,
  DA323,
  DA324,
};
