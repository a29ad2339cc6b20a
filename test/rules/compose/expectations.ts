/**
 * Inline expectations for Compose fixtures: `# expect: DA505, DA511` names the rules that
 * must report a non-passing finding (fail, warn, manual) located on a line. Written after
 * a key, it is about that line; written alone on a line, it is about the next line that is
 * neither blank nor a comment. Every fixture is run through every registered container and
 * compose rule that `dockaudit lint` runs.
 */
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { collectFiles } from '../../../src/collect/source-files.js';
import { filesOnlySnapshot } from '../../../src/collect/index.js';
import { DEFAULT_CONFIG } from '../../../src/engine/config.js';
import type { Finding } from '../../../src/engine/report.js';
import { runRules } from '../../../src/engine/run.js';
import { loadRules } from '../../../src/rules/registry.js';
import type { AnyRule } from '../../../src/rules/types.js';
import { workloadsFromCompose } from '../../../src/views/from-compose.js';

export const ROOT = join(import.meta.dirname, '..', '..', '..');

/** The rule families the fixtures state expectations for. */
const FAMILIES = new Set(['container', 'compose']);

/** Statuses an expectation is about: those a person has to act on. */
const REPORTED = new Set(['fail', 'warn', 'manual', 'error']);

const EXPECT = /#\s*expect:\s*([A-Z0-9][A-Z0-9,\s]*)$/;

/** `file:line ruleId` strings a fixture file expects. */
export function expectationsOf(path: string): Set<string> {
  const display = relative(ROOT, path).split(sep).join('/');
  const lines = readFileSync(path, 'utf8').split('\n');
  const expected = new Set<string>();
  lines.forEach((line, index) => {
    const match = EXPECT.exec(line);
    if (!match) return;
    let target = index;
    if (line.trim().startsWith('#')) {
      target = index + 1;
      while (target < lines.length && (lines[target]?.trim() === '' || lines[target]?.trim().startsWith('#'))) target += 1;
    }
    for (const rule of (match[1] ?? '').split(/[\s,]+/).filter(Boolean)) expected.add(`${display}:${target + 1} ${rule}`);
  });
  return expected;
}

let rules: AnyRule[] | undefined;

/** Runs every registered rule over the files under `paths`, as `dockaudit lint` would. */
export async function lintFindings(paths: string[]): Promise<Finding[]> {
  rules ??= (await loadRules()).filter(
    (rule) => FAMILIES.has(rule.meta.family) && rule.meta.needs.every((need) => need === 'files' || need === 'containers'),
  );
  const files = await collectFiles(paths, ROOT);
  return runRules(filesOnlySnapshot(files), rules, DEFAULT_CONFIG, { toolVersion: 'fixtures', fileWorkloads: workloadsFromCompose }).findings;
}

/** `file:line ruleId` strings of the reported, unsuppressed findings located in the given files. */
export function reportedIn(findings: Finding[], files: Set<string>): Set<string> {
  return new Set(
    findings
      .filter((finding) => REPORTED.has(finding.status) && !finding.suppressed && finding.location && files.has(finding.location.file))
      .map((finding) => `${finding.location?.file}:${finding.location?.line} ${finding.ruleId}`),
  );
}

/** Both differences, for one readable assertion. */
export function difference(expected: Set<string>, reported: Set<string>): { missing: string[]; extra: string[] } {
  const sort = (items: string[]): string[] =>
    items.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return {
    missing: sort([...expected].filter((item) => !reported.has(item))),
    extra: sort([...reported].filter((item) => !expected.has(item))),
  };
}
