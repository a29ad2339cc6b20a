/** The swarm rules, sorted by id: one file per rule, named after its id. */
import type { AnyRule } from '../types.js';
import DA701 from './DA701.js';
import DA702 from './DA702.js';
import DA703 from './DA703.js';
import DA704 from './DA704.js';
import DA705 from './DA705.js';
import DA706 from './DA706.js';
import DA707 from './DA707.js';
import DA708 from './DA708.js';
import DA709 from './DA709.js';

export const swarmRules: Record<string, AnyRule> = {
  DA701,
  DA702,
  DA703,
  DA704,
  DA705,
  DA706,
  DA707,
  DA708,
  DA709,
};
