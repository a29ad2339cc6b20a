/**
 * The controls a rule decides are what a per-control benchmark view takes its verdicts from, so
 * they must be about the subjects the rule judges: a daemon rule decides daemon controls, a
 * container rule container controls. A synthesis of several controls (DA219) or a rule over a
 * Dockerfile or a Compose file (a recipe, not what runs on the host) only cites them.
 */
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/registry.js';
import { CIS_CONTROLS, inCisSection } from '../../src/rules/shared/cis.js';
import type { RuleFamily } from '../../src/rules/types.js';

/** The benchmark sections (or single controls) whose subject each family's findings are about. */
const DECIDABLE_BY: Record<RuleFamily, string[]> = {
  // The host, its audit rules and packages; 1.2.2 is the daemon's version; 4.5 is the users' DOCKER_CONTENT_TRUST.
  host: ['1', '4.5'],
  daemon: ['2'],
  files: ['3'],
  image: ['4'],
  // docker-bench decides 4.1 from the running containers' user; 5.1 is the daemon's swarm mode, judged with the containers.
  container: ['4.1', '5'],
  inventory: ['6'],
  swarm: ['7'],
  dockerfile: [],
  compose: [],
};

describe('rule references', () => {
  it('a rule decides only controls about the subjects it judges, and cites the rest', async () => {
    const offenders: string[] = [];
    for (const { meta } of await loadRules()) {
      for (const control of meta.references.cis) {
        if (!DECIDABLE_BY[meta.family].some((section) => inCisSection(control, section))) offenders.push(`${meta.id} (${meta.family}) decides ${control}`);
      }
      for (const control of meta.references.related ?? []) {
        if (meta.references.cis.includes(control)) offenders.push(`${meta.id} both decides and cites ${control}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('a rule that decides several controls is an audit-rule check (one finding per watched file, each deciding its own)', async () => {
    const several = (await loadRules()).filter((rule) => rule.meta.references.cis.length > 1);
    expect(several.map((rule) => rule.meta.id)).toEqual(['DA104', 'DA107', 'DA109']);
    for (const rule of several) for (const control of rule.meta.references.cis) expect(inCisSection(control, '1.1')).toBe(true);
  });

  it('syntheses decide nothing: DA219 (daemon control amounts to root) and DA160 (reachable from outside) only cite', async () => {
    const rules = new Map((await loadRules()).map((rule) => [rule.meta.id, rule.meta]));
    expect(rules.get('DA219')?.references.cis).toEqual([]);
    expect(rules.get('DA219')?.references.related).toEqual(['2.12', '2.9', '2.14', '2.1']);
    expect(rules.get('DA160')?.references.cis).toEqual([]);
  });

  it('every automated control is decided by some rule', async () => {
    const decided = new Set((await loadRules()).flatMap((rule) => rule.meta.references.cis));
    expect(CIS_CONTROLS.filter((control) => control.assessment === 'automated' && !decided.has(control.id)).map((control) => control.id)).toEqual([]);
  });
});
