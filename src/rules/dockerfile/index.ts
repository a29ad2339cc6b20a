/** The dockerfile rules, sorted by id: one file per rule, named after its id. */
import type { AnyRule } from '../types.js';
import DA801 from './DA801.js';
import DA802 from './DA802.js';
import DA803 from './DA803.js';
import DA804 from './DA804.js';
import DA805 from './DA805.js';
import DA806 from './DA806.js';
import DA807 from './DA807.js';
import DA808 from './DA808.js';
import DA809 from './DA809.js';
import DA810 from './DA810.js';
import DA811 from './DA811.js';
import DA812 from './DA812.js';
import DA813 from './DA813.js';
import DA814 from './DA814.js';
import DA815 from './DA815.js';
import DA816 from './DA816.js';
import DA817 from './DA817.js';
import DA818 from './DA818.js';
import DA819 from './DA819.js';
import DA820 from './DA820.js';
import DA821 from './DA821.js';
import DA822 from './DA822.js';
import DA823 from './DA823.js';
import DA824 from './DA824.js';

export const dockerfileRules: Record<string, AnyRule> = {
  DA801,
  DA802,
  DA803,
  DA804,
  DA805,
  DA806,
  DA807,
  DA808,
  DA809,
  DA810,
  DA811,
  DA812,
  DA813,
  DA814,
  DA815,
  DA816,
  DA817,
  DA818,
  DA819,
  DA820,
  DA821,
  DA822,
  DA823,
  DA824,
};
