/** The files rules, sorted by id. Each entry loads one rule file named after its id. */
import type { RuleLoader } from '../registry.js';

export const filesRules: Record<string, RuleLoader> = {};
