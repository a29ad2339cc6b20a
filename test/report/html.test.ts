import { describe, expect, it } from 'vitest';
import { HTML_CONTENT_SECURITY_POLICY, formatHtml, htmlPieces, scriptSafeJson } from '../../src/report/html.js';
import { HOSTILE_NAME, largeReport, smallReport } from './report-fixtures.js';

/** The JSON block of a page, parsed as the page's script parses it. */
function embedded(html: string): { meta: unknown; extra: Record<string, unknown>; findings: unknown[][]; rules: { id: string }[] } {
  const match = /<script type="application\/json" id="report-data">\n?([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('no JSON block');
  return JSON.parse(match[1]!) as ReturnType<typeof embedded>;
}

describe('scriptSafeJson', () => {
  it('escapes what could end a script block or a line, and parses back to the same value', () => {
    const value = { name: `${HOSTILE_NAME}<!--&\u2028\u2029` };
    const json = scriptSafeJson(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(json).toContain('\\u003c/script\\u003e');
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('HTML report', () => {
  it('is one page with its own script and style, a policy that forbids every other source, and the report embedded safely', async () => {
    const report = await smallReport();
    const html = formatHtml(report);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${HTML_CONTENT_SECURITY_POLICY}">`);
    expect(HTML_CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; style-src 'sha256-/);
    // Two script blocks, each closed once: no string of the report ends one.
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html).not.toContain(HOSTILE_NAME);
    // Nothing to fetch: no URL, no external reference in the page around the data.
    expect(html.replace(/<script type="application\/json"[\s\S]*?<\/script>/, '')).not.toMatch(/https?:\/\/|\bsrc=|<link\b|@import|url\(/i);
    const data = embedded(html);
    expect(data.findings).toHaveLength(report.findings.length);
    const names = data.findings.map((row) => row[4]);
    expect(names).toContain(HOSTILE_NAME);
    expect(names).toContain('quiet\u001b[2J\nline');
    // Each rule (with its fix, which only failing findings carry) once in the table, the findings pointing at it.
    expect(new Set(data.rules.map((rule) => JSON.stringify(rule))).size).toBe(data.rules.length);
    expect(data.rules.length).toBeLessThan(2 * new Set(report.findings.map((finding) => finding.ruleId)).size);
    const first = report.findings[0]!;
    expect(data.rules[data.findings[0]![0] as number]!.id).toBe(first.ruleId);
  });

  it('carries fields it does not know (a baseline verdict, per-control verdicts) for the page to show', async () => {
    const report = largeReport(await smallReport(), 10);
    const data = embedded(formatHtml(report));
    expect(data.findings[0]![12]).toEqual({ baseline: 'new', fingerprint: 'fp000000000000' });
    expect(data.findings[0]![11]).toBe('alpha');
    expect(Object.keys(data.extra)).toEqual(['controls']);
  });

  it('writes a large report in pieces, none holding the whole', async () => {
    const report = largeReport(await smallReport(), 5_000);
    const pieces = [...htmlPieces(report)];
    expect(pieces.length).toBeGreaterThan(5);
    const total = pieces.reduce((sum, piece) => sum + piece.length, 0);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(total / 2);
    expect(embedded(pieces.join('')).findings).toHaveLength(5_000);
  });
});
