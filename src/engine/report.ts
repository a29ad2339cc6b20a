/**
 * The Report: what the engine hands to formatters. Its JSON form is a public contract.
 */
import type { CollectionProblem } from '../snapshot/types.js';
import type { SourceLocation } from '../views/workload.js';
import type { RuleFamily, Severity, Status, Subject } from '../rules/types.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface Finding {
  ruleId: string;
  alias: string;
  title: string;
  family: RuleFamily;
  status: Status;
  severity: Severity;
  references: { cis: string[]; checklist: string[] };
  subject: Subject;
  location?: SourceLocation;
  message: string;
  messageId: string;
  remediation?: string;
  /** Present when an ignore entry matched; the status is left as it was. */
  suppressed?: { reason: string };
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
}
