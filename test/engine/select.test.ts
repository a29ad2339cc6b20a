import { describe, expect, it } from 'vitest';
import { checkSelectors } from '../../src/audit/evaluate.js';
import { configSchema } from '../../src/engine/config.js';
import { selectRules, splitSelectors } from '../../src/engine/select.js';
import { UsageError } from '../../src/errors.js';
import { loadRules } from '../../src/rules/registry.js';

const all = await loadRules();
const ids = (only: string[] = [], skip: string[] = []): string[] => selectRules(all, { only, skip }).map((rule) => rule.meta.id);

describe('rule selection', () => {
  it('takes ids, aliases and families, in any case, comma-separated', () => {
    expect(splitSelectors(['DA505, daemon-log-level', 'swarm,,'])).toEqual(['DA505', 'daemon-log-level', 'swarm']);
    expect(ids(['da505', 'container-privileged'])).toEqual(['DA505']);
    expect(ids(['swarm'])).toEqual(['DA701', 'DA702', 'DA703', 'DA704', 'DA705', 'DA706', 'DA707', 'DA708', 'DA709']);
  });

  it('cis:<section> and cis:<control> select the rules that decide or cite it; 5.1 is not 5.10', () => {
    expect(ids(['cis:2.14'])).toEqual(['DA214', 'DA219']);
    expect(ids(['cis:5.1'])).toEqual(['DA501']);
    expect(ids(['cis:3']).every((id) => id.startsWith('DA3'))).toBe(true);
    expect(ids(['cis:3'])).toHaveLength(24);
    expect(ids(['cis:1.1'])).toEqual(['DA101', 'DA102', 'DA103', 'DA104', 'DA105', 'DA106', 'DA107', 'DA108', 'DA109']);
  });

  it('checklist:<item> selects the rules that serve it; --skip wins over --only', () => {
    expect(ids(['checklist:FW-2'])).toEqual(['DA550']);
    expect(ids(['checklist:ns-1'])).toEqual(['DA510', 'DA908']);
    expect(ids(['cis:2.14'], ['DA219'])).toEqual(['DA214']);
    expect(ids([], ['host', 'daemon', 'files', 'image', 'container', 'inventory', 'swarm', 'compose'])).toEqual(all.filter((rule) => rule.meta.family === 'dockerfile').map((rule) => rule.meta.id));
  });

  it('an unknown selector is one usage error naming it, whichever families were loaded', async () => {
    const swarmOnly = await loadRules(['swarm']);
    // A rule of a family not loaded is still known.
    await expect(checkSelectors(configSchema.parse({ only: ['DA505'] }), swarmOnly)).resolves.toBeUndefined();
    for (const [config, text] of [
      [{ only: ['DA999'] }, 'unknown rule selector "DA999" (--only or the config\'s only): expected a rule id or alias'],
      [{ skip: ['cis:5.99'] }, 'unknown rule selector "cis:5.99" (--skip or the config\'s skip): no section or control'],
      [{ only: ['checklist:XX-1'] }, 'unknown rule selector "checklist:XX-1"'],
      [{ only: ['cis:'] }, 'unknown rule selector "cis:"'],
    ] as const) {
      const failure = checkSelectors(configSchema.parse(config), swarmOnly);
      await expect(failure).rejects.toBeInstanceOf(UsageError);
      await expect(failure).rejects.toThrow(text);
    }
  });
});
