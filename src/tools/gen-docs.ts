/**
 * Writes the generated documentation files. Run with `npm run docs`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRules } from '../rules/registry.js';
import { renderCoverage, renderRuleIndex } from './docs.js';

const root = join(import.meta.dirname, '..', '..');
const rules = await loadRules();
writeFileSync(join(root, 'docs', 'rules', 'README.md'), renderRuleIndex(rules));
writeFileSync(join(root, 'docs', 'coverage.md'), renderCoverage(rules));
process.stdout.write(`wrote docs/rules/README.md and docs/coverage.md for ${rules.length} rules\n`);
