/**
 * `dockaudit guard` as a library: the container rules loaded once, the policy built from the
 * config, and the plugin socket served until it is closed.
 */
import type { Config } from '../engine/config.js';
import { ruleNames, validateRuleNames } from '../engine/run.js';
import { loadRules } from '../rules/registry.js';
import type { Severity } from '../rules/types.js';
import type { DaemonFacts } from '../snapshot/types.js';
import type { GuardMode, GuardPolicy } from './decide.js';
import { startGuardServer, type GuardServer, type GuardServerOptions } from './server.js';

export { classifyRequest, type Endpoint, type GuardedKind } from './endpoints.js';
export { decideRequest, decideUnreadable, type AuthzAnswer, type DecisionRecord, type GuardDecision, type GuardMode, type GuardPolicy } from './decide.js';
export { DEFAULT_MAX_REQUEST_BYTES, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_SOCKET, type GuardServer } from './server.js';

export interface GuardPolicyOptions {
  config: Config;
  mode: GuardMode;
  denyOn: Severity;
  daemon?: DaemonFacts;
}

/** The policy of a guard: the container rules, checked against the config's rule names. */
export async function guardPolicy(options: GuardPolicyOptions): Promise<GuardPolicy> {
  const rules = await loadRules(['container']);
  validateRuleNames(options.config, ruleNames(await loadRules()));
  return { mode: options.mode, denyOn: options.denyOn, config: options.config, rules, ...(options.daemon ? { daemon: options.daemon } : {}) };
}

export type GuardOptions = GuardPolicyOptions & Omit<GuardServerOptions, 'policy'>;

/** Loads the rules and serves the plugin protocol on `options.socket` until `close()`. */
export async function guard(options: GuardOptions): Promise<GuardServer> {
  const policy = await guardPolicy(options);
  return startGuardServer({ ...options, policy });
}
