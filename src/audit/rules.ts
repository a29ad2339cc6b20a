/**
 * The rules dockaudit has, as their metadata: id, alias, family, title, severity, rationale,
 * remediation, references and message templates.
 */
import { loadRules } from '../rules/registry.js';
import type { RuleFamily, RuleMeta } from '../rules/types.js';

/** Every rule's metadata in id order, or those of some families. */
export async function listRules(families?: RuleFamily[]): Promise<RuleMeta[]> {
  return (await loadRules(families)).map((rule) => rule.meta);
}
