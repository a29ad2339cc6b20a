/** The inventory rules, sorted by id: one file per rule, named after its id. */
import type { AnyRule } from '../types.js';
import DA601 from './DA601.js';
import DA602 from './DA602.js';

export const inventoryRules: Record<string, AnyRule> = {
  DA601,
  DA602,
};
