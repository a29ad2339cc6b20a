/**
 * Markdown for pull-request comments and GitHub step summaries: what was audited, a table of
 * counts per section, and the findings that ask for action in one table per section. Every value
 * from the audited host or files is escaped for a table cell: control characters as visible
 * escapes, Markdown and HTML punctuation as entities or backslashes, `@` and `#` so a name cannot
 * mention a person or link an issue. The whole stays under a size (GitHub refuses comments over
 * 65,536 characters): findings that do not fit are counted in a last line.
 */
import type { ControlStatus, Finding, Report } from '../engine/report.js';
import type { RuleFamily, Status } from '../rules/types.js';
import { escapeControl } from '../escape.js';
import { SECTION_TITLES, STATUS_ORDER, byImportance, isActionable, locationText, subjectText } from './findings-view.js';

export interface MarkdownOptions {
  /** Most characters written, the "more" line included (default 60,000, under GitHub's 65,536). */
  maxChars?: number;
}

export const MARKDOWN_DEFAULT_MAX_CHARS = 60_000;

const MAX_PROBLEMS_LISTED = 30;

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** U+200B as an entity: it breaks a mention, an issue reference or a link, and shows nothing. */
const BREAK = '&#8203;';

/**
 * Text safe in a Markdown table cell: on one line (control characters as visible escapes), with
 * no table, HTML, emphasis, code, math or link syntax left active, and no `@name`, `#123`, `x://` or
 * `www.` for GitHub to turn into a mention, a reference or a link.
 */
export function escapeMarkdownCell(text: string): string {
  return escapeControl(text)
    .replace(/[&<>"]/g, (char) => ENTITIES[char]!)
    .replace(/[\\`*_[\]~|$]/g, (char) => `\\${char}`)
    .replace(/[@#]/g, (char) => `${char}${BREAK}`)
    .replace(/:\/\//g, `:${BREAK}//`)
    .replace(/\bwww\./gi, (match) => `${match.slice(0, 3)}${BREAK}.`);
}

/** Status columns of the counts table, in the text report's order. */
const COUNTED: readonly Status[] = STATUS_ORDER;

/** Findings counted by status (unignored) and ignored, for one row of a counts table. */
interface Tally {
  label: string;
  byStatus: Partial<Record<Status, number>>;
  ignored: number;
}

/** One pass over the findings: a tally per key, in the order of `keys`. */
function tallies(findings: readonly Finding[], keys: readonly { key: string; label: string }[], keyOf: (finding: Finding) => string | undefined): Tally[] {
  const byKey = new Map(keys.map(({ key, label }) => [key, { label, byStatus: {}, ignored: 0 } as Tally]));
  for (const finding of findings) {
    const key = keyOf(finding);
    const tally = key === undefined ? undefined : byKey.get(key);
    if (tally === undefined) continue;
    if (finding.suppressed !== undefined) tally.ignored += 1;
    else tally.byStatus[finding.status] = (tally.byStatus[finding.status] ?? 0) + 1;
  }
  return [...byKey.values()];
}

function countsTable(rows: readonly Tally[]): string[] {
  const present = COUNTED.filter((status) => rows.some((row) => (row.byStatus[status] ?? 0) > 0));
  const lines = [`| | ${present.join(' | ')} | ignored |`, `|---|${present.map(() => '---:|').join('')}---:|`];
  for (const row of rows) lines.push(`| ${row.label} | ${present.map((status) => String(row.byStatus[status] ?? 0)).join(' | ')} | ${row.ignored} |`);
  return lines;
}

/** Controls' verdicts, the ones that ask for action first: the order a bounded table keeps them in. */
const CONTROL_ORDER: readonly ControlStatus[] = ['fail', 'error', 'warn', 'manual', 'info', 'pass', 'not-applicable', 'skipped'];

/** Share of the size cap the per-control table may take: the findings' tables keep the rest. */
const BENCHMARK_SHARE = 3;

/**
 * With a benchmark view: its score, verdicts counted, and a table of controls, those that ask
 * for action first, cut at `budget` characters with a line counting the others.
 */
function benchmarkLines(report: Report, budget: number): string[] {
  const view = report.benchmark;
  if (view === undefined) return [];
  const { score } = view;
  const lines = [
    `### ${escapeMarkdownCell(view.name)}`,
    '',
    `**Score ${score.score}** — ${score.passed} passed, ${score.failed} failed or warned, ${score.manual} manual, of ${score.checks} controls${score.percent !== undefined ? ` (${score.percent}% of the automated ones passed)` : ''}`,
    '',
  ];
  const counts = CONTROL_ORDER.map((status) => [status, view.controls.filter((control) => control.status === status).length] as const).filter(([, count]) => count > 0);
  if (counts.length > 0) lines.push(`Verdicts: ${counts.map(([status, count]) => `${count} ${status}`).join(', ')}`, '');
  const ordered = view.controls.map((control, index) => ({ control, index })).sort((a, b) => CONTROL_ORDER.indexOf(a.control.status) - CONTROL_ORDER.indexOf(b.control.status) || a.index - b.index);
  if (ordered.length === 0) return lines;
  const table = ['| control | verdict | title | findings |', '|---|---|---|---:|'];
  let used = lines.join('\n').length + table.join('\n').length + 2;
  // Room kept for the line counting the controls left out.
  const reserve = 120;
  let shown = 0;
  for (const { control } of ordered) {
    const row = `| ${escapeMarkdownCell(control.id)} | **${control.status}** | ${escapeMarkdownCell(control.title)} | ${control.decidedBy} |`;
    if (used + row.length + 1 > budget - reserve) break;
    table.push(row);
    used += row.length + 1;
    shown += 1;
  }
  if (shown > 0) lines.push(...table);
  if (shown < ordered.length) lines.push('', `… and ${ordered.length - shown} more controls not shown here; see the full report (--format json or html).`);
  lines.push('');
  return lines;
}

/** With a baseline: how many findings are new, unchanged and resolved since it. */
function baselineLine(report: Report): string[] {
  const baseline = report.baseline;
  if (baseline === undefined) return [];
  return [`**Since the baseline** ${escapeMarkdownCell(baseline.file)}: ${baseline.new} new, ${baseline.unchanged} unchanged, ${baseline.resolved.length} resolved`, ''];
}

function findingRow(finding: Finding, withTarget: boolean, withBaseline = false): string {
  const cells = [
    `**${finding.status}**`,
    ...(withBaseline ? [finding.baseline === 'new' ? '**new**' : (finding.baseline ?? '')] : []),
    finding.severity,
    `${escapeMarkdownCell(finding.ruleId)} ${escapeMarkdownCell(finding.title)}`,
    ...(withTarget ? [escapeMarkdownCell(finding.target ?? '')] : []),
    escapeMarkdownCell(subjectText(finding)),
    escapeMarkdownCell(locationText(finding) ?? ''),
    escapeMarkdownCell(finding.message),
  ];
  return `| ${cells.join(' | ')} |`;
}

export function formatMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const maxChars = options.maxChars ?? MARKDOWN_DEFAULT_MAX_CHARS;
  const { summary, target } = report;
  const head: string[] = ['## dockaudit report', ''];
  const about =
    report.targets === undefined
      ? [`dockaudit ${report.tool.version}`, target.dockerHost, ...(target.daemonVersion ? [`Docker ${target.daemonVersion}`] : []), `host ${target.hostname}`, target.collectedAt]
      : [`dockaudit ${report.tool.version}`, `${report.targets.length} targets`, target.collectedAt];
  head.push(escapeMarkdownCell(about.join(' · ')), '');
  const failing = (['critical', 'high', 'medium', 'low', 'info'] as const).filter((severity) => summary.failuresBySeverity[severity] > 0).map((severity) => `${summary.failuresBySeverity[severity]} ${severity}`);
  head.push(`**${summary.total} findings from ${summary.rules} rules**${failing.length > 0 ? ` — failing: ${failing.join(', ')}` : ' — nothing failing'}${summary.suppressed > 0 ? ` — ${summary.suppressed} ignored` : ''}`, '');
  head.push(...baselineLine(report));
  for (const reason of report.incomplete ?? []) head.push(`> **Incomplete:** ${escapeMarkdownCell(reason)}`, '');
  if (report.problems.length > 0) {
    head.push('<details><summary>Not visible to this audit</summary>', '');
    // A bounded list: the findings matter more than a long list of what could not be read.
    for (const problem of report.problems.slice(0, MAX_PROBLEMS_LISTED)) {
      head.push(`- ${escapeMarkdownCell(`${problem.target !== undefined ? `[${problem.target}] ` : ''}${problem.scope}${problem.subject ? ` ${problem.subject}` : ''}: ${problem.reason}`)}`);
    }
    if (report.problems.length > MAX_PROBLEMS_LISTED) head.push(`- … and ${report.problems.length - MAX_PROBLEMS_LISTED} more`);
    head.push('', '</details>', '');
  }
  const familiesPresent = new Set(report.findings.map((finding) => finding.family));
  const families = (Object.keys(SECTION_TITLES) as RuleFamily[]).filter((family) => familiesPresent.has(family));
  head.push('### By section', '', ...countsTable(tallies(report.findings, families.map((family) => ({ key: family, label: SECTION_TITLES[family] })), (finding) => finding.family)), '');
  if (report.targets !== undefined) {
    // Files are judged apart from any daemon: their row is keyed by a name no target can have.
    const FILES = '\u0000files';
    const keys = report.targets.map((entry) => {
      const label = entry.context ?? entry.address;
      return { key: label, label: escapeMarkdownCell(entry.reachable ? label : `${label} (not audited)`) };
    });
    if (report.findings.some((finding) => finding.target === undefined)) keys.push({ key: FILES, label: 'files' });
    head.push('### By target', '', ...countsTable(tallies(report.findings, keys, (finding) => finding.target ?? FILES)), '');
  }
  head.push(...benchmarkLines(report, Math.floor(maxChars / BENCHMARK_SHARE)));

  const withTarget = report.targets !== undefined;
  const actionable = report.findings.filter(isActionable);
  const withBaseline = report.baseline !== undefined || actionable.some((finding) => finding.baseline !== undefined);
  const out: string[] = [...head];
  let used = out.join('\n').length;
  let written = 0;
  if (actionable.length === 0) out.push('No failing, warning or erroring findings.', '');
  const header = ['| status |', ...(withBaseline ? ['baseline |'] : []), 'severity | rule |', ...(withTarget ? ['target |'] : []), 'subject | location | message |'].join(' ');
  const rule = `|---|${withBaseline ? '---|' : ''}---|---|${withTarget ? '---|' : ''}---|---|---|`;
  // Room kept for the "more" line, whatever its numbers.
  const reserve = 200;
  let full = false;
  const bySection = new Map<RuleFamily, Finding[]>(families.map((family) => [family, []]));
  for (const finding of actionable) bySection.get(finding.family)?.push(finding);
  for (const family of families) {
    if (full) break;
    const inSection = (bySection.get(family) ?? []).sort(byImportance);
    if (inSection.length === 0) continue;
    const sectionHead = ['', `### ${SECTION_TITLES[family]}`, '', header, rule];
    const sectionHeadLength = sectionHead.join('\n').length + 1;
    for (const [index, finding] of inSection.entries()) {
      const row = findingRow(finding, withTarget, withBaseline);
      const cost = row.length + 1 + (index === 0 ? sectionHeadLength : 0);
      if (used + cost > maxChars - reserve) {
        full = true;
        break;
      }
      if (index === 0) out.push(...sectionHead);
      out.push(row);
      used += cost;
      written += 1;
    }
  }
  if (written < actionable.length) {
    out.push('', `… and ${actionable.length - written} more findings not shown here (the size of a comment is limited); see the full report (--format json or html).`);
  }
  return `${out.join('\n').trimEnd()}\n`;
}
