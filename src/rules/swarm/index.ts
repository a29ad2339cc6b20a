/** The swarm rules, sorted by id. Each entry loads one rule file named after its id. */
import type { RuleLoader } from '../registry.js';

export const swarmRules: Record<string, RuleLoader> = {};
