/** The host rules, sorted by id: one file per rule, named after its id. */
import type { AnyRule } from '../types.js';
import DA101 from './DA101.js';
import DA102 from './DA102.js';
import DA103 from './DA103.js';
import DA104 from './DA104.js';
import DA105 from './DA105.js';
import DA106 from './DA106.js';
import DA107 from './DA107.js';
import DA108 from './DA108.js';
import DA109 from './DA109.js';
import DA110 from './DA110.js';
import DA111 from './DA111.js';
import DA150 from './DA150.js';
import DA151 from './DA151.js';
import DA152 from './DA152.js';
import DA153 from './DA153.js';
import DA154 from './DA154.js';
import DA155 from './DA155.js';
import DA156 from './DA156.js';
import DA157 from './DA157.js';
import DA158 from './DA158.js';
import DA159 from './DA159.js';
import DA160 from './DA160.js';

export const hostRules: Record<string, AnyRule> = {
  DA101,
  DA102,
  DA103,
  DA104,
  DA105,
  DA106,
  DA107,
  DA108,
  DA109,
  DA110,
  DA111,
  DA150,
  DA151,
  DA152,
  DA153,
  DA154,
  DA155,
  DA156,
  DA157,
  DA158,
  DA159,
  DA160,
};
