/**
 * The per-control view of a report (`--benchmark cis`, `--benchmark checklist`): one verdict per
 * control of the CIS Docker Benchmark 1.6.0, or per checklist item, in benchmark order, from the
 * findings that decide it, and the score as docker-bench-security counts it. Pure: the rules'
 * metadata says which rules decide which control; the caller says which of them ran.
 */
import { CHECKLIST } from '../rules/shared/checklist.js';
import { CIS_CONTROLS } from '../rules/shared/cis.js';
import type { RuleMeta, Status } from '../rules/types.js';
import type { BenchmarkScore, BenchmarkView, ControlStatus, ControlVerdict, Finding, Report } from './report.js';

/** Findings listed per control: the worst few are evidence enough; `decidedBy` counts them all. */
export const FINDINGS_PER_CONTROL = 5;

const STATUS_RANK: Record<Status, number> = { error: 0, fail: 1, warn: 2, manual: 3, info: 4, skipped: 5, pass: 6 };

export type BenchmarkKind = 'cis' | 'checklist';

interface Control {
  id: string;
  title: string;
  assessment?: 'automated' | 'manual';
}

function controlsOf(kind: BenchmarkKind): Control[] {
  if (kind === 'cis') return CIS_CONTROLS.map(({ id, title, assessment }) => ({ id, title, assessment }));
  return Object.entries(CHECKLIST).map(([id, title]) => ({ id, title }));
}

/** The controls of the kind a finding or a rule decides: its CIS controls, or its checklist items. */
function decided(kind: BenchmarkKind, references: { cis: string[]; checklist: string[] }): string[] {
  return kind === 'cis' ? references.cis : references.checklist;
}

/**
 * `ran`: whether a rule that decides the control ran (undefined: no rule decides it). A manual
 * control is `manual` unless its rules were left out; one no rule decides is always `manual`.
 * `deciding` is sorted worst first.
 */
function verdictOf(control: Control, deciding: Finding[], ran: boolean | undefined): ControlStatus {
  if (ran === false) return 'skipped';
  if (control.assessment === 'manual') return 'manual';
  if (deciding.length === 0) return ran === true ? 'not-applicable' : 'skipped';
  // A subject the rule skipped (a host-network container has no published port to judge) does not
  // hide what it judged on the others; a control whose findings were all skipped is skipped.
  return (deciding.find((finding) => finding.status !== 'skipped') ?? (deciding[0] as Finding)).status;
}

function scoreOf(controls: ControlVerdict[]): BenchmarkScore {
  let passed = 0;
  let failed = 0;
  let manual = 0;
  let checks = 0;
  for (const control of controls) {
    if (control.status === 'skipped' || control.status === 'not-applicable') continue;
    checks += 1;
    if (control.status === 'pass') passed += 1;
    // An error is counted as a failure: what could not be judged is not passed.
    else if (control.status === 'fail' || control.status === 'warn' || control.status === 'error') failed += 1;
    else manual += 1;
  }
  const score: BenchmarkScore = { score: passed - failed, checks, passed, failed, manual };
  if (passed + failed > 0) score.percent = Math.round((passed / (passed + failed)) * 1000) / 10;
  return score;
}

/**
 * The per-control view of `report`. `rules` is every rule's metadata; `ran` says whether a rule
 * was run by this command (selected, and in a family it audits), to tell `skipped` controls from
 * `not-applicable` ones.
 */
export function benchmarkView(report: Report, kind: BenchmarkKind, rules: readonly RuleMeta[], ran: (ruleId: string) => boolean): BenchmarkView {
  const byControl = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    for (const id of decided(kind, finding.references)) {
      const list = byControl.get(id);
      if (list) list.push(finding);
      else byControl.set(id, [finding]);
    }
  }
  const rulesRun = new Map<string, boolean>();
  for (const meta of rules) for (const id of decided(kind, meta.references)) rulesRun.set(id, rulesRun.get(id) === true || ran(meta.id));
  const controls = controlsOf(kind).map((control): ControlVerdict => {
    const deciding = (byControl.get(control.id) ?? []).sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status]);
    return {
      id: control.id,
      title: control.title,
      ...(control.assessment ? { assessment: control.assessment } : {}),
      status: verdictOf(control, deciding, rulesRun.get(control.id)),
      findings: deciding.slice(0, FINDINGS_PER_CONTROL).map((finding) => ({
        ruleId: finding.ruleId,
        status: finding.status,
        severity: finding.severity,
        subject: finding.subject,
        message: finding.message,
        ...(finding.fingerprint !== undefined ? { fingerprint: finding.fingerprint } : {}),
        ...(finding.target !== undefined ? { target: finding.target } : {}),
      })),
      decidedBy: deciding.length,
    };
  });
  return { benchmark: kind, name: kind === 'cis' ? 'CIS Docker Benchmark 1.6.0' : 'checklist', controls, score: scoreOf(controls) };
}
