/**
 * What a rule is: metadata beside a pure check over the snapshot.
 */
import type * as z from '../zod.js';
import type { Snapshot } from '../snapshot/types.js';
import type { SourceLocation, Workload } from '../views/workload.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['pass', 'fail', 'warn', 'info', 'manual', 'skipped', 'error'] as const;
export type Status = (typeof STATUSES)[number];

/** Parts of the snapshot a rule reads; when one is unavailable the engine reports `skipped`. */
/**
 * What a rule reads from the snapshot. `dockerfiles` is the Dockerfiles given as files or, for
 * scanned images, rebuilt from their build histories.
 */
export type Need = 'daemon' | 'daemonConfig' | 'containers' | 'images' | 'networks' | 'volumes' | 'swarm' | 'host' | 'files' | 'dockerfiles' | 'imageContents';

export const RULE_FAMILIES = ['host', 'daemon', 'files', 'image', 'container', 'inventory', 'swarm', 'dockerfile', 'compose'] as const;
export type RuleFamily = (typeof RULE_FAMILIES)[number];

export interface Subject {
  kind: 'daemon' | 'container' | 'service' | 'compose-service' | 'image' | 'network' | 'host' | 'swarm' | 'file';
  id?: string;
  name?: string;
}

export interface RuleMeta<Messages extends string = string> {
  /** Stable id of our own, never reused: family prefix and number. */
  id: string;
  /** Readable alias, accepted wherever an id is. */
  alias: string;
  family: RuleFamily;
  title: string;
  severity: Severity;
  rationale: string;
  remediation: string;
  /**
   * `cis`: the CIS Docker Benchmark 1.6.0 controls this rule's findings decide (a per-control
   * view takes its verdict from them); `related`: controls it only cites (a synthesis such as
   * DA219, or a Dockerfile rule that judges the recipe of an image rather than the host's
   * images); `checklist`: the checklist items it serves.
   */
  references: { cis: string[]; checklist: string[]; related?: string[] };
  needs: Need[];
  /** Message templates; `{{name}}` is replaced by the finding's data. */
  messages: Record<Messages, string>;
}

/** One result of a rule's check, before the engine renders and decorates it. */
export interface RuleResult {
  subject: Subject;
  status: Status;
  messageId: string;
  data?: Record<string, string | number | undefined>;
  location?: SourceLocation;
  /** Overrides the rule's severity for this finding (a TCP socket without TLS is critical). */
  severity?: Severity;
  /**
   * The controls of the rule's `references.cis` that this finding alone decides, when the rule
   * decides several controls one finding each (an audit rule per watched file); the others
   * become the finding's `related`.
   */
  decides?: string[];
  /**
   * Structured data a reader of the JSON report can use without parsing the message (the full
   * list the message shortens), carried to the finding's `details`. Each rule that sets it bounds
   * it with a documented cap.
   */
  details?: FindingDetails;
}

/** A JSON value of a finding's `details`. */
export type DetailValue = string | number | boolean | null | DetailValue[] | { [key: string]: DetailValue };

/** A finding's structured details: a JSON object whose shape the rule's documentation gives. */
export type FindingDetails = { [key: string]: DetailValue };

export interface RuleContext<Options> {
  snapshot: Snapshot;
  /** Containers (and later services) in the workload shape. */
  workloads: Workload[];
  options: Options;
}

export interface Rule<Options = Record<string, never>, Messages extends string = string> {
  meta: RuleMeta<Messages>;
  /** Options schema; its parsed output is what `check` receives. */
  options?: z.ZodMiniType<Options>;
  check(context: RuleContext<Options>): RuleResult[];
}

/** A rule with its option type erased, as the registry and engine hold it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- options differ per rule; each rule's own file is typed
export type AnyRule = Rule<any, string>;
