/**
 * Choosing rules: `--only` and `--skip` (and `only`, `skip` in the config), each a list of
 * selectors. A selector is a rule id or alias, a family (`container`), a CIS section or control
 * (`cis:5`, `cis:5.5`: the rules that decide or cite it) or a checklist item (`checklist:FW-2`).
 */
import { UsageError } from '../errors.js';
import { CHECKLIST } from '../rules/shared/checklist.js';
import { inCisSection, isCisId } from '../rules/shared/cis.js';
import { RULE_FAMILIES, type AnyRule, type RuleFamily } from '../rules/types.js';

export interface RuleSelection {
  /** Selectors of the rules to run; empty or absent: every rule. */
  only?: string[];
  /** Selectors of the rules to leave out; they win over `only`. */
  skip?: string[];
}

type Matcher = (rule: AnyRule) => boolean;

/** Where the selectors come from, for error messages: the flag, or the config key of the same name. */
export const ONLY = '--only or the config\'s only';
export const SKIP = '--skip or the config\'s skip';

/** Selectors as written, split at commas (`--only DA505,cis:2`), without blanks. */
export function splitSelectors(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(',')).map((selector) => selector.trim()).filter((selector) => selector !== '');
}

/**
 * The matcher of a selector that needs no rule to be known (family, cis:, checklist:), undefined
 * for a rule name; throws a UsageError for a cis: or checklist: selector naming nothing.
 */
function staticMatcher(selector: string, origin: string): Matcher | undefined {
  const lower = selector.toLowerCase();
  if ((RULE_FAMILIES as readonly string[]).includes(lower)) return (rule) => rule.meta.family === (lower as RuleFamily);
  if (lower.startsWith('cis:')) {
    const id = selector.slice(4).trim();
    if (!isCisId(id)) throw new UsageError(`unknown rule selector "${selector}" (${origin}): no section or control of the CIS Docker Benchmark 1.6.0 has that number (e.g. cis:5 or cis:5.5)`);
    return (rule) => [...rule.meta.references.cis, ...(rule.meta.references.related ?? [])].some((control) => inCisSection(control, id));
  }
  if (lower.startsWith('checklist:')) {
    const item = selector.slice(10).trim().toUpperCase();
    if (!(item in CHECKLIST)) throw new UsageError(`unknown rule selector "${selector}" (${origin}): no checklist item has that id (e.g. checklist:FW-2)`);
    return (rule) => rule.meta.references.checklist.includes(item);
  }
  return undefined;
}

/**
 * The rule names among `selectors` that are not selectors of another kind, checked against
 * `known` (ids and aliases, any case). Throws a UsageError naming the first unknown one.
 */
export function unknownRuleSelectors(selectors: readonly string[], known: ReadonlySet<string>, origin: string): string[] {
  const lowerKnown = new Set([...known].map((name) => name.toLowerCase()));
  return selectors.filter((selector) => staticMatcher(selector, origin) === undefined && !lowerKnown.has(selector.toLowerCase()));
}

/** The error for a selector that names nothing: one line, the forms accepted. */
export function unknownSelectorError(selector: string, origin: string): UsageError {
  return new UsageError(
    `unknown rule selector "${selector}" (${origin}): expected a rule id or alias, a family (${RULE_FAMILIES.join(', ')}), cis:<section or control> or checklist:<item>`,
  );
}

function matcherOf(selector: string, origin: string): Matcher {
  const matcher = staticMatcher(selector, origin);
  if (matcher !== undefined) return matcher;
  const name = selector.toLowerCase();
  return (rule) => rule.meta.id.toLowerCase() === name || rule.meta.alias.toLowerCase() === name;
}

/** Whether a selection leaves any rule out. */
export function selectsRules(selection: RuleSelection | undefined): selection is RuleSelection {
  return selection !== undefined && (selection.only?.length ?? 0) + (selection.skip?.length ?? 0) > 0;
}

/** The rules the selection keeps, in their order. Selectors are checked by the caller (see unknownRuleSelectors). */
export function selectRules(rules: AnyRule[], selection: RuleSelection | undefined): AnyRule[] {
  if (!selectsRules(selection)) return rules;
  const only = (selection.only ?? []).map((selector) => matcherOf(selector, ONLY));
  const skip = (selection.skip ?? []).map((selector) => matcherOf(selector, SKIP));
  return rules.filter((rule) => (only.length === 0 || only.some((matches) => matches(rule))) && !skip.some((matches) => matches(rule)));
}
