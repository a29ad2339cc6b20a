/**
 * The report formatters grow linearly with the number of findings: a report of n and 4n findings
 * is formatted in each format; the larger must not take more than 8 times the CPU time of the
 * smaller (best of several runs, after a warm-up). A quadratic step shows as 16x.
 */
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/engine/report.js';
import { formatCheckstyle } from '../../src/report/checkstyle.js';
import { formatGithub } from '../../src/report/github.js';
import { formatGitlab } from '../../src/report/gitlab.js';
import { formatHtml } from '../../src/report/html.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { largeReport, smallReport } from '../report/report-fixtures.js';
import { bestCpuMs } from '../helpers/cpu.js';

const cpuTime = bestCpuMs;

/** The ratio of CPU time at 4n to that at n, measured again, longer, when over the bound. */
function growth(format: (report: Report) => unknown, small: Report, large: Report): number {
  cpuTime(() => format(small), 1);
  const ratio = (runs: number) => cpuTime(() => format(large), runs) / Math.max(cpuTime(() => format(small), runs), 5);
  const first = ratio(3);
  return first < 8 ? first : Math.min(first, ratio(5));
}

describe('formatter growth', async () => {
  const base = await smallReport();
  const small = largeReport(base, 5_000);
  const large = largeReport(base, 20_000);
  // Markdown stops at its size: without a cap it would format every row.
  const formats: [string, (report: Report) => unknown][] = [
    ['html', formatHtml],
    ['markdown', (report) => formatMarkdown(report, { maxChars: Number.MAX_SAFE_INTEGER })],
    ['github', formatGithub],
    ['gitlab', formatGitlab],
    ['checkstyle', formatCheckstyle],
  ];
  for (const [name, format] of formats) {
    it(`${name}: 4x the findings costs less than 8x the CPU time`, () => {
      expect(growth(format, small, large)).toBeLessThan(8);
    });
  }
});
