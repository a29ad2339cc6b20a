/**
 * What the fix planners of the rule families share (`dockaudit fix`): a note for a failing rule
 * that a generated file cannot fix by itself.
 */

/** A failing rule the generated file does not fix, and what to do instead. */
export interface FixNote {
  ruleId: string;
  reason: string;
}
