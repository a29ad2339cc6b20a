/** The compose rules, sorted by id: one file per rule, named after its id. */
import type { AnyRule } from '../types.js';
import DA901 from './DA901.js';
import DA902 from './DA902.js';
import DA903 from './DA903.js';
import DA904 from './DA904.js';
import DA905 from './DA905.js';
import DA906 from './DA906.js';
import DA907 from './DA907.js';
import DA908 from './DA908.js';
import DA909 from './DA909.js';
import DA910 from './DA910.js';

export const composeRules: Record<string, AnyRule> = {
  DA901,
  DA902,
  DA903,
  DA904,
  DA905,
  DA906,
  DA907,
  DA908,
  DA909,
  DA910,
};
