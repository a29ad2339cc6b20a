/**
 * HTML: one self-contained page to read a report in a browser. Its style and script are inline,
 * and a Content Security Policy forbids every other source, so opening it makes no request. The
 * report travels as JSON in a `<script type="application/json">` block with `<`, `>`, `&` and the
 * line separators escaped, so no string in it can end the block; the page's script builds every
 * element with `textContent`. Findings are packed as rows against a table of the rules they
 * come from, to keep a report of tens of thousands of findings a few megabytes.
 */
import { createHash } from 'node:crypto';
import type { Finding, Report } from '../engine/report.js';
import { HTML_SCRIPT } from './html-script.js';
import { HTML_STYLE } from './html-style.js';

/** The fields of a finding the page knows; any other (a baseline verdict, a fingerprint) is shown as it is. */
const KNOWN_FINDING_KEYS = new Set(['ruleId', 'alias', 'title', 'family', 'status', 'severity', 'references', 'subject', 'location', 'message', 'messageId', 'remediation', 'suppressed', 'target']);

/** The parts of a report the page lays out itself; any other top-level part is shown generically. */
const KNOWN_REPORT_KEYS = new Set(['schemaVersion', 'fingerprintScheme', 'tool', 'target', 'summary', 'findings', 'problems', 'incomplete', 'targets']);

/** Findings packed per piece of output: large enough to write fast, small enough to bound memory. */
const FINDINGS_PER_PIECE = 1000;

const SCRIPT_HASH = createHash('sha256').update(HTML_SCRIPT).digest('base64');
const STYLE_HASH = createHash('sha256').update(HTML_STYLE).digest('base64');

/** The policy: nothing may load or connect; only the page's own script and style (by hash) run. */
export const HTML_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src 'sha256-${SCRIPT_HASH}'`,
  // The chart bars are sized through the CSSOM, which the policy allows without 'unsafe-inline'.
  `style-src 'sha256-${STYLE_HASH}'`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * JSON that is safe inside a script block: `<`, `>` and `&` as \u escapes (so neither `</script`
 * nor `<!--` can appear), and U+2028/U+2029 escaped for older parsers.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

interface RuleEntry {
  id: string;
  alias: string;
  title: string;
  family: string;
  remediation?: string;
  references: Finding['references'];
}

/** A finding as one array: its rule's index, then its own fields (see the page script for the order). */
type PackedFinding = [number, string, string, string, string | null, string | null, string | null, number | null, number | null, string, string | null, string | null, Record<string, unknown> | null];

class RuleTable {
  readonly entries: RuleEntry[] = [];
  private readonly indexes = new Map<string, number>();
  /** References serialised once per object: findings of one rule usually share theirs. */
  private readonly referenceKeys = new WeakMap<object, string>();

  private referencesKey(references: Finding['references']): string {
    let key = this.referenceKeys.get(references);
    if (key === undefined) {
      key = JSON.stringify(references);
      this.referenceKeys.set(references, key);
    }
    return key;
  }

  indexOf(finding: Finding): number {
    const entry: RuleEntry = {
      id: finding.ruleId,
      alias: finding.alias,
      title: finding.title,
      family: finding.family,
      ...(finding.remediation !== undefined ? { remediation: finding.remediation } : {}),
      references: finding.references,
    };
    const key = [entry.id, entry.alias, entry.title, entry.family, entry.remediation ?? '\u0000', this.referencesKey(entry.references)].join('\u0001');
    let index = this.indexes.get(key);
    if (index === undefined) {
      index = this.entries.length;
      this.entries.push(entry);
      this.indexes.set(key, index);
    }
    return index;
  }
}

function pack(finding: Finding, rules: RuleTable): PackedFinding {
  let extra: Record<string, unknown> | null = null;
  for (const [key, value] of Object.entries(finding)) {
    if (KNOWN_FINDING_KEYS.has(key) || value === undefined) continue;
    extra ??= {};
    extra[key] = value;
  }
  return [
    rules.indexOf(finding),
    finding.status,
    finding.severity,
    finding.subject.kind,
    finding.subject.name ?? null,
    finding.subject.id ?? null,
    finding.location?.file ?? null,
    finding.location?.line ?? null,
    finding.location?.column ?? null,
    finding.message,
    finding.suppressed?.reason ?? null,
    finding.target ?? null,
    extra,
  ];
}

/**
 * The page in pieces: the findings are packed a thousand at a time, so a large report is never
 * held as one string. The rule table comes after the findings, once every rule has been seen.
 */
export function* htmlPieces(report: Report): Generator<string> {
  yield [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${HTML_CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    '<title>dockaudit report</title>',
    `<style>${HTML_STYLE}</style>`,
    '</head>',
    '<body>',
    '<header id="header"></header>',
    '<noscript><p>This report needs JavaScript to show its findings; they are also in the JSON block of this file.</p></noscript>',
    '<section id="charts" class="charts" aria-label="summary charts"></section>',
    '<div id="extra"></div>',
    '<h2>Findings</h2>',
    '<form id="filters" class="filters" role="search"></form>',
    '<p id="status-line" class="status-line" aria-live="polite"></p>',
    '<nav id="pager" class="pager" aria-label="pages"></nav>',
    '<table id="findings-table"></table>',
    '<script type="application/json" id="report-data">',
  ].join('\n');
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(report)) if (!KNOWN_REPORT_KEYS.has(key) && value !== undefined) extra[key] = value;
  const meta = {
    tool: report.tool,
    target: report.target,
    summary: report.summary,
    ...(report.incomplete !== undefined ? { incomplete: report.incomplete } : {}),
    ...(report.targets !== undefined ? { targets: report.targets } : {}),
  };
  yield `{"meta":${scriptSafeJson(meta)},"problems":${scriptSafeJson(report.problems)},"extra":${scriptSafeJson(extra)},"findings":[`;
  const rules = new RuleTable();
  for (let start = 0; start < report.findings.length; start += FINDINGS_PER_PIECE) {
    const piece = report.findings.slice(start, start + FINDINGS_PER_PIECE).map((finding) => scriptSafeJson(pack(finding, rules)));
    yield `${start === 0 ? '' : ','}${piece.join(',')}`;
  }
  yield `],"rules":${scriptSafeJson(rules.entries)}}`;
  yield ['</script>', `<script>${HTML_SCRIPT}</script>`, '</body>', '</html>', ''].join('\n');
}

export function formatHtml(report: Report): string {
  return [...htmlPieces(report)].join('');
}
