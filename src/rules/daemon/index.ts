/** The daemon rules, sorted by id: one file per rule, named after its id. */
import type { AnyRule } from '../types.js';
import DA201 from './DA201.js';
import DA202 from './DA202.js';
import DA203 from './DA203.js';
import DA204 from './DA204.js';
import DA205 from './DA205.js';
import DA206 from './DA206.js';
import DA207 from './DA207.js';
import DA208 from './DA208.js';
import DA209 from './DA209.js';
import DA210 from './DA210.js';
import DA211 from './DA211.js';
import DA212 from './DA212.js';
import DA213 from './DA213.js';
import DA214 from './DA214.js';
import DA215 from './DA215.js';
import DA216 from './DA216.js';
import DA217 from './DA217.js';
import DA218 from './DA218.js';
import DA219 from './DA219.js';

export const daemonRules: Record<string, AnyRule> = {
  DA201,
  DA202,
  DA203,
  DA204,
  DA205,
  DA206,
  DA207,
  DA208,
  DA209,
  DA210,
  DA211,
  DA212,
  DA213,
  DA214,
  DA215,
  DA216,
  DA217,
  DA218,
  DA219,
};
