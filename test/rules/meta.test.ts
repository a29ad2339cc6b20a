/**
 * Checks every rule file: named after its id, in the right family folder, registered in order,
 * documented, tested, every message used and tested, references valid.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKLIST } from '../../src/rules/shared/checklist.js';
import { cisControl } from '../../src/rules/shared/cis.js';
import { loadRules } from '../../src/rules/registry.js';
import { RULE_FAMILIES, type AnyRule } from '../../src/rules/types.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FAMILIES: readonly string[] = RULE_FAMILIES;

/** Id ranges: DA1xx host, DA2xx daemon, DA3xx daemon files, DA4xx images, DA5xx containers,
 * DA6xx operations, DA7xx swarm, DA8xx Dockerfiles, DA9xx Compose. */
const FAMILY_DIGIT: Record<string, string> = { host: '1', daemon: '2', files: '3', image: '4', container: '5', inventory: '6', swarm: '7', dockerfile: '8', compose: '9' };

const files = FAMILIES.flatMap((family) =>
  readdirSync(join(ROOT, 'src/rules', family))
    .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
    .map((file) => ({ family, id: file.replace(/\.ts$/, ''), path: join(ROOT, 'src/rules', family, file) })),
);

describe('rule meta', () => {
  it('registry ids are sorted within each family file and cover exactly the rule files', async () => {
    expect((await loadRules()).map((rule) => rule.meta.id)).toEqual(files.map((file) => file.id).sort());
    for (const family of FAMILIES) {
      const source = readFileSync(join(ROOT, 'src/rules', family, 'index.ts'), 'utf8');
      const imported = [...source.matchAll(/^import (\w+) from '\.\/(\w+)\.js';$/gm)].map((match) => {
        expect(match[1]).toBe(match[2]);
        return match[1];
      });
      const registered = [...source.matchAll(/^ {2}(DA\d{3}),$/gm)].map((match) => match[1]);
      expect(registered).toEqual(imported);
      expect(registered).toEqual([...registered].sort());
    }
  });

  const aliases = new Map<string, string>();
  for (const file of files) {
    describe(file.id, () => {
      it('has valid meta, docs and tests', async () => {
        const rule = (await import(file.path)).default as AnyRule;
        const { meta } = rule;
        expect(meta.id).toBe(file.id);
        expect(meta.id).toMatch(/^DA\d{3}$/);
        expect(meta.family).toBe(file.family);
        expect(meta.alias).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(aliases.get(meta.alias) ?? meta.id).toBe(meta.id);
        aliases.set(meta.alias, meta.id);
        expect(meta.title.length).toBeGreaterThan(5);
        expect(meta.rationale.length).toBeGreaterThan(20);
        expect(meta.remediation.length).toBeGreaterThan(10);
        for (const cis of [...meta.references.cis, ...(meta.references.related ?? [])]) expect(cisControl(cis), `CIS ${cis} of ${meta.id}`).toBeDefined();
        expect(meta.id.slice(2, 3), 'the first digit of the id is its family range').toBe(FAMILY_DIGIT[file.family]);
        expect(meta.references.checklist.length + meta.references.cis.length + (meta.references.related?.length ?? 0)).toBeGreaterThan(0);
        for (const item of meta.references.checklist) expect(Object.keys(CHECKLIST)).toContain(item);

        // A message may be emitted by a helper the family shares (src/rules/<family>/support/).
        const supportDirectory = join(ROOT, 'src/rules', file.family, 'support');
        const supportSources = existsSync(supportDirectory)
          ? readdirSync(supportDirectory, { recursive: true })
              .map(String)
              .filter((name) => name.endsWith('.ts'))
              .map((name) => readFileSync(join(supportDirectory, name), 'utf8'))
          : [];
        // ... or a module shared across families (src/rules/shared/).
        const sharedSources = readdirSync(join(ROOT, 'src/rules/shared'), { recursive: true })
          .map(String)
          .filter((name) => name.endsWith('.ts'))
          .map((name) => readFileSync(join(ROOT, 'src/rules/shared', name), 'utf8'));
        const source = [readFileSync(file.path, 'utf8'), ...supportSources, ...sharedSources].join('\n');
        const testPath = join(ROOT, 'test/rules', file.family, `${file.id}.test.ts`);
        expect(existsSync(testPath), `missing ${testPath}`).toBe(true);
        const testSource = readFileSync(testPath, 'utf8');
        for (const messageId of Object.keys(meta.messages)) {
          const uses = source.split(`'${messageId}'`).length - 1;
          expect(uses, `message ${messageId} is never used in ${file.id}`).toBeGreaterThanOrEqual(1);
          expect(testSource, `message ${messageId} is never asserted in the test of ${file.id}`).toContain(`'${messageId}'`);
        }
        const docPath = join(ROOT, 'docs/rules', `${file.id}.md`);
        expect(existsSync(docPath), `missing ${docPath}`).toBe(true);
        expect(readFileSync(docPath, 'utf8')).toContain(`# ${file.id}`);
      });
    });
  }
});
