import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../src/rules/registry.js';
import { renderCoverage, renderRuleIndex } from '../src/tools/docs.js';

const root = join(import.meta.dirname, '..');

describe('generated docs', () => {
  it('docs/rules/README.md and docs/coverage.md match the rules (run `npm run docs` after changing a rule)', async () => {
    const rules = await loadRules();
    expect(readFileSync(join(root, 'docs/rules/README.md'), 'utf8')).toBe(renderRuleIndex(rules));
    expect(readFileSync(join(root, 'docs/coverage.md'), 'utf8')).toBe(renderCoverage(rules));
  });
});
