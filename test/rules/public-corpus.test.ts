/**
 * Precision and recall per rule family on the public corpus (test/corpus/: Dockerfiles and
 * Compose files from public repositories, labelled with what each file really does, see
 * test/corpus/README.md), linted as `dockaudit lint test/corpus` lints them. Known misses and
 * false alarms stay labelled as the truth, so they count; each family must stay at 0.95 or more.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/audit/index.js';
import { FAMILIES, ROOT, corpusFiles, labelsOf, precision, recall, reportedOf, score } from '../corpus-support/public-corpus.js';

describe('public corpus', () => {
  const { dockerfiles, compose } = corpusFiles();

  it('holds 60 to 150 files, Dockerfiles and Compose files, version 1 ones included', () => {
    expect(dockerfiles.length + compose.length).toBeGreaterThanOrEqual(60);
    expect(dockerfiles.length + compose.length).toBeLessThanOrEqual(150);
    expect(dockerfiles.length).toBeGreaterThanOrEqual(30);
    expect(compose.length).toBeGreaterThanOrEqual(30);
    expect(compose.filter((path) => path.includes('/compose-v1/')).length).toBeGreaterThanOrEqual(5);
  });

  it('keeps precision and recall of every family at 0.95 or more', async () => {
    const previous = process.env['DOCKAUDIT_WORKER'];
    process.env['DOCKAUDIT_WORKER'] = 'off';
    let report;
    try {
      report = await lint(['test/corpus'], { cwd: ROOT });
    } finally {
      if (previous === undefined) delete process.env['DOCKAUDIT_WORKER'];
      else process.env['DOCKAUDIT_WORKER'] = previous;
    }
    const labels = [...dockerfiles, ...compose].flatMap(labelsOf);
    const result = score(labels, reportedOf(report.findings));
    const rows = FAMILIES.map((family) => {
      const tally = result.byFamily.get(family);
      if (!tally) throw new Error(`no tally for ${family}`);
      return { family, ...tally, precision: precision(tally), recall: recall(tally) };
    });
    console.log(
      [
        `public corpus: ${dockerfiles.length} Dockerfiles, ${compose.length} Compose files, ${labels.length} labels`,
        ...rows.map((row) => `${row.family.padEnd(10)} precision ${row.precision.toFixed(3)}  recall ${row.recall.toFixed(3)}  (tp ${row.truePositives}, fp ${row.falsePositives}, fn ${row.falseNegatives})`),
        ...result.misses.map((key) => `missed       ${key}`),
        ...result.falseAlarms.map((key) => `false alarm  ${key}`),
      ].join('\n'),
    );
    for (const row of rows) {
      expect(row.truePositives, `${row.family} has labelled findings`).toBeGreaterThan(0);
      expect(row.precision, `${row.family} precision`).toBeGreaterThanOrEqual(0.95);
      expect(row.recall, `${row.family} recall`).toBeGreaterThanOrEqual(0.95);
    }
  });
});
