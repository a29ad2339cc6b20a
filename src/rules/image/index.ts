/** The image rules, sorted by id: one file per rule, named after its id. */
import type { AnyRule } from '../types.js';
import DA401 from './DA401.js';
import DA402 from './DA402.js';
import DA403 from './DA403.js';
import DA404 from './DA404.js';
import DA405 from './DA405.js';
import DA406 from './DA406.js';
import DA407 from './DA407.js';
import DA450 from './DA450.js';
import DA451 from './DA451.js';
import DA452 from './DA452.js';
import DA453 from './DA453.js';
import DA454 from './DA454.js';
import DA455 from './DA455.js';
import DA456 from './DA456.js';
import DA457 from './DA457.js';
import DA458 from './DA458.js';
import DA459 from './DA459.js';
import DA460 from './DA460.js';
import DA461 from './DA461.js';
import DA462 from './DA462.js';

export const imageRules: Record<string, AnyRule> = {
  DA401,
  DA402,
  DA403,
  DA404,
  DA405,
  DA406,
  DA407,
  DA450,
  DA451,
  DA452,
  DA453,
  DA454,
  DA455,
  DA456,
  DA457,
  DA458,
  DA459,
  DA460,
  DA461,
  DA462,
};
