/**
 * Precision and recall of the container and compose rules on a corpus of realistic Compose
 * files (test/fixtures/compose/corpus), labelled by hand with what a reviewer should be told:
 * `# expect:` marks every finding that is right, and nothing else. Unlike the fixtures, the
 * corpus keeps the known misses and false alarms in place, so the numbers stay honest.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, difference, expectationsOf, lintFindings, reportedIn } from './expectations.js';

const CORPUS = join(ROOT, 'test/fixtures/compose/corpus');

describe('compose corpus', () => {
  it('has precision and recall of at least 0.95', async () => {
    const projects = readdirSync(CORPUS).filter((name) => statSync(join(CORPUS, name)).isDirectory());
    expect(projects.length).toBeGreaterThanOrEqual(20);
    let truePositives = 0;
    let falsePositives = 0;
    let falseNegatives = 0;
    const misses: string[] = [];
    for (const project of projects) {
      const directory = join(CORPUS, project);
      const files = readdirSync(directory)
        .filter((name) => /\.ya?ml$/.test(name))
        .map((name) => join(directory, name));
      const expected = new Set(files.flatMap((file) => [...expectationsOf(file)]));
      const reported = reportedIn(await lintFindings([directory]), new Set(files.map((file) => relative(ROOT, file).split(sep).join('/'))));
      const { missing, extra } = difference(expected, reported);
      truePositives += expected.size - missing.length;
      falseNegatives += missing.length;
      falsePositives += extra.length;
      misses.push(...missing.map((item) => `missed ${item}`), ...extra.map((item) => `false alarm ${item}`));
    }
    const precision = truePositives / (truePositives + falsePositives);
    const recall = truePositives / (truePositives + falseNegatives);
    console.log(
      `compose corpus: ${projects.length} files, ${truePositives} true positives, ${falsePositives} false positives, ${falseNegatives} false negatives; ` +
        `precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}\n${misses.join('\n')}`,
    );
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });
});
