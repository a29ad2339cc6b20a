/**
 * Precision and recall of the Dockerfile rules on a corpus of real-world-shaped Dockerfiles
 * (test/fixtures/dockerfile/corpus/), labelled by hand with `# expect:` comments written from
 * each rule's documented definition. Unlike the fixture harness, disagreements do not fail the
 * test one by one: they are counted, printed, and the totals must stay above a floor.
 */
import { describe, expect, it } from 'vitest';
import { actualOf, expectationsOf, FIXTURES, fixtureFiles, loadDockerfileRules, missingFrom, readFixture, runOnContent } from './support/expectations.js';

const files = fixtureFiles(FIXTURES).filter((path) => path.startsWith('corpus/'));

interface Tally {
  truePositive: number;
  falsePositive: number;
  falseNegative: number;
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 1 : part / whole;
}

describe('Dockerfile corpus', () => {
  it('has at least 25 labelled Dockerfiles', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
  });

  it('keeps precision and recall above 0.95', async () => {
    const rules = await loadDockerfileRules();
    const byRule = new Map<string, Tally>();
    const tally = (rule: string): Tally => {
      let found = byRule.get(rule);
      if (!found) byRule.set(rule, (found = { truePositive: 0, falsePositive: 0, falseNegative: 0 }));
      return found;
    };
    const disagreements: string[] = [];
    for (const path of files) {
      const content = readFixture(path);
      const expected = expectationsOf(content).findings;
      const actual = actualOf(runOnContent(rules, path, content)).findings;
      const missed = missingFrom(expected, actual);
      const extra = missingFrom(actual, expected);
      for (const key of missingFrom(expected, missed)) tally(key.split(':')[1] as string).truePositive += 1;
      for (const key of missed) {
        tally(key.split(':')[1] as string).falseNegative += 1;
        disagreements.push(`missed  ${path}:${key}`);
      }
      for (const key of extra) {
        tally(key.split(':')[1] as string).falsePositive += 1;
        disagreements.push(`extra   ${path}:${key}`);
      }
    }
    const total = [...byRule.values()].reduce((sum, item) => ({
      truePositive: sum.truePositive + item.truePositive,
      falsePositive: sum.falsePositive + item.falsePositive,
      falseNegative: sum.falseNegative + item.falseNegative,
    }));
    const precision = ratio(total.truePositive, total.truePositive + total.falsePositive);
    const recall = ratio(total.truePositive, total.truePositive + total.falseNegative);
    const rows = [...byRule.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([rule, item]) => `${rule}  tp ${item.truePositive}  fp ${item.falsePositive}  fn ${item.falseNegative}`);
    console.log(
      [
        `corpus: ${files.length} Dockerfiles, ${total.truePositive + total.falseNegative} labelled findings`,
        `precision ${precision.toFixed(3)}  recall ${recall.toFixed(3)}`,
        ...rows,
        ...disagreements,
      ].join('\n'),
    );
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });
});
