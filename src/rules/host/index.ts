/** The host rules, sorted by id. Each entry loads one rule file named after its id. */
import type { RuleLoader } from '../registry.js';

export const hostRules: Record<string, RuleLoader> = {};
