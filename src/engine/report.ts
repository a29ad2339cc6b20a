/**
 * The Report: what the engine hands to formatters. Its JSON form is a public contract.
 */
import type { CollectionProblem } from '../snapshot/types.js';
import type { SourceLocation } from '../views/workload.js';
import type { FindingDetails, RuleFamily, Severity, Status, Subject } from '../rules/types.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface Finding {
  ruleId: string;
  alias: string;
  title: string;
  family: RuleFamily;
  status: Status;
  severity: Severity;
  /**
   * `cis`: the CIS controls this finding decides; `related`: the controls it cites without deciding
   * them (present only when there are some); `checklist`: the checklist items it serves.
   */
  references: { cis: string[]; checklist: string[]; related?: string[] };
  subject: Subject;
  location?: SourceLocation;
  message: string;
  messageId: string;
  remediation?: string;
  /**
   * Present when an ignore entry matched; the status is left as it was. `kind` is where it was
   * written: `inSource` for a comment in the file, `external` for the config's `ignore`.
   */
  suppressed?: { reason: string; kind?: 'inSource' | 'external' };
  /**
   * Present on a finding that stands for others a cap left out (message id `__notListed`): how
   * many. Its status and severity are the worst of theirs.
   */
  notListed?: number;
  /**
   * The daemon the finding is about (its context name, else its address), in a report of several
   * targets; absent on findings about Dockerfiles and Compose files, and in a one-target report.
   */
  target?: string;
  /**
   * The finding's stable name (see engine/fingerprint.ts): the same finding in a later report has
   * the same fingerprint, under the same `fingerprintScheme`.
   */
  fingerprint?: string;
  /** With `--baseline`: whether the baseline report had this finding (`unchanged`) or not (`new`). */
  baseline?: 'new' | 'unchanged';
  /**
   * Structured data of the finding, for programs: the full list its message shortens (DA461's
   * advisories by package). Its shape is the rule's, given in its documentation, and bounded by
   * a cap the rule documents. Absent on most findings.
   */
  details?: FindingDetails;
}

/** A finding of the baseline report that this report no longer has. */
export interface ResolvedFinding {
  fingerprint: string;
  ruleId: string;
  status: Status;
  severity: Severity;
  subject: Subject;
  location?: SourceLocation;
  message: string;
  target?: string;
}

/** What `--baseline` found: how many findings are new or unchanged, and which are gone. */
export interface BaselineSummary {
  /** The baseline report, as given. */
  file: string;
  new: number;
  unchanged: number;
  /** Failing, warning and erroring findings of the baseline that this report does not have, among the rules this run selected. */
  resolved: ResolvedFinding[];
}

/** One daemon of a report of several: what it is, or why it could not be audited. */
export type TargetSummary = (
  | { address: string; context?: string; name: string; version: string; reachable: true }
  | { address: string; context?: string; reachable: false; reason: string }
) & {
  /** The name its findings carry in `target`, when it is neither its context nor its address (a Swarm node). */
  label?: string;
  /** In a Swarm audit, the node this target is. */
  node?: { id: string; hostname: string; role: 'manager' | 'worker'; engineVersion?: string };
  /** In a Swarm audit, the target of the cluster-wide checks (CIS 7): the swarm's id. */
  cluster?: string;
};

/** What collection could not read, and in a report of several targets, on which. */
export type ReportProblem = CollectionProblem & { target?: string };

export interface ReportSummary {
  total: number;
  byStatus: Record<Status, number>;
  /** Failing, unsuppressed findings by severity. */
  failuresBySeverity: Record<Severity, number>;
  suppressed: number;
  rules: number;
  /** Findings a cap left out of `findings` (each counted in a `__notListed` finding); absent when none. */
  notListed?: number;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'dockaudit'; version: string };
  target: { dockerHost: string; hostname: string; collectedAt: string; daemonVersion?: string };
  summary: ReportSummary;
  findings: Finding[];
  /** What collection could not read (parts of the host or daemon that were not visible). */
  problems: ReportProblem[];
  /**
   * Why the audit did not cover what it was asked to (the daemon could not be reached): present
   * only then. An incomplete audit never counts as clean, whatever its findings say.
   */
  incomplete?: string[];
  /**
   * The daemons audited, in the order given: present only when several were (a one-target report
   * names its daemon in `target`). Findings and problems name theirs in their `target` field.
   */
  targets?: TargetSummary[];
  /** The scheme of the findings' fingerprints (see engine/fingerprint.ts). */
  fingerprintScheme?: number;
  /** With `--baseline`: the comparison with the baseline report. */
  baseline?: BaselineSummary;
  /** With `--benchmark`: one verdict per control of the benchmark, and the score. */
  benchmark?: BenchmarkView;
}

/**
 * A control's verdict (see engine/benchmark.ts and docs/benchmark.md): the worst status of the
 * findings that decide it; `manual` for a control the benchmark calls manual, whatever they say;
 * `skipped` when no rule that decides it ran (left out by --only/--skip, or outside what the
 * command audits); `not-applicable` when such rules ran and found nothing to judge.
 */
export type ControlStatus = 'pass' | 'fail' | 'warn' | 'manual' | 'info' | 'error' | 'skipped' | 'not-applicable';

export interface ControlVerdict {
  id: string;
  title: string;
  /** For CIS controls: whether the benchmark calls the control automated or manual. */
  assessment?: 'automated' | 'manual';
  status: ControlStatus;
  /** The findings that decide the control, worst first: at most a few, with how many there are. */
  findings: { ruleId: string; status: Status; severity: Severity; subject: Subject; message: string; fingerprint?: string; target?: string }[];
  /** How many findings decide it (findings lists at most the first few). */
  decidedBy: number;
}

export interface BenchmarkView {
  benchmark: 'cis' | 'checklist';
  /** `CIS Docker Benchmark 1.6.0`, or the checklist. */
  name: string;
  controls: ControlVerdict[];
  score: BenchmarkScore;
}

/**
 * The score as docker-bench-security counts it: each automated control that passed +1, each
 * that failed or warned -1, a manual one 0; `checks` the controls given a verdict. `percent` is
 * the passed share of the automated controls that were decided.
 */
export interface BenchmarkScore {
  score: number;
  checks: number;
  passed: number;
  failed: number;
  manual: number;
  /** 0–100, one decimal; absent when no automated control was decided. */
  percent?: number;
}
