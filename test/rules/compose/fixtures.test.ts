import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, difference, expectationsOf, lintFindings, reportedIn } from './expectations.js';

const FIXTURES = join(ROOT, 'test/fixtures/compose');

function yamlFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

const cases = readdirSync(FIXTURES).filter((name) => name !== 'corpus' && statSync(join(FIXTURES, name)).isDirectory());

describe('compose fixtures: every registered rule, expectations inline', () => {
  it('has the fixtures the checklist asks for', () => {
    expect(cases).toEqual(expect.arrayContaining(['anchors', 'extends', 'profiles', 'env', 'wordpress', 'monitoring', 'hardened']));
  });

  for (const name of cases) {
    it(name, async () => {
      const directory = join(FIXTURES, name);
      const files = yamlFiles(directory);
      const displayed = new Set(files.map((file) => relative(ROOT, file).split(sep).join('/')));
      const expected = new Set(files.flatMap((file) => [...expectationsOf(file)]));
      const findings = await lintFindings([directory]);
      expect(difference(expected, reportedIn(findings, displayed))).toEqual({ missing: [], extra: [] });
      // Rules that failed to run; a file DA901 refused (an alias bomb, too deep) is an error by design.
      const refusal = (finding: (typeof findings)[number]) => finding.ruleId === 'DA901' && ['aliasBomb', 'tooDeep', 'tooLarge', 'skipped'].includes(finding.messageId);
      const errors = findings.filter((finding) => finding.status === 'error' && (finding.family === 'container' || finding.family === 'compose') && !refusal(finding));
      expect(errors.map((finding) => `${finding.ruleId}: ${finding.message}`)).toEqual([]);
    });
  }
});
