/**
 * What the fix planners of the rule families share (`dockaudit fix`): a note for a failing rule
 * that a generated file cannot fix by itself.
 */
import type { SourceLocation } from '../../views/workload.js';
import type { RuleFamily, Status, Subject } from '../types.js';

/** A failing rule the generated file does not fix, and what to do instead. */
export interface FixNote {
  ruleId: string;
  reason: string;
}

/**
 * The part of a report's finding a planner reads (the engine's `Finding` has it all; rules do
 * not import the engine).
 */
export interface FixFinding {
  ruleId: string;
  alias: string;
  title: string;
  family: RuleFamily;
  status: Status;
  messageId: string;
  message: string;
  remediation?: string;
  references: { cis: string[] };
  subject: Subject;
  location?: SourceLocation;
  suppressed?: { reason: string };
}
