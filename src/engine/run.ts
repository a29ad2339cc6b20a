/**
 * The engine: runs the enabled rules over a snapshot, applies config and ignores,
 * and builds the Report. Pure: no I/O.
 */
import { ConfigError, InternalError, describeError } from '../errors.js';
import { workloadsOf } from '../views/all-workloads.js';
import { inlineSuppression, suppressionIndex } from '../parsers/suppressions.js';
import { isUnavailable, type CollectionProblem, type Snapshot } from '../snapshot/types.js';
import type { Workload } from '../views/workload.js';
import { SEVERITIES, STATUSES, type AnyRule, type Need, type RuleResult, type Severity, type Subject } from '../rules/types.js';
import { DEFAULT_LIMITS, type Config, type IgnoreEntry, type Limits, type RuleSetting } from './config.js';
import { REPORT_SCHEMA_VERSION, type Finding, type Report, type ReportSummary, type TargetSummary } from './report.js';
import { str } from '../snapshot/api-document.js';
import { FINGERPRINT_SCHEME, addFingerprints, targetFingerprint } from './fingerprint.js';

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/** `{{name}}` placeholders replaced by data; unknown placeholders are left visible. */
export function renderMessage(template: string, data: Record<string, string | number | undefined> = {}): string {
  return compileTemplate(template)(data);
}

const NO_DATA: Readonly<Record<string, string | number | undefined>> = Object.freeze({});

type CompiledTemplate = (data: Record<string, string | number | undefined>) => string;
const compiledTemplates = new Map<string, CompiledTemplate>();

/** A template split once into literal text and placeholder names: messages are rendered per finding. */
function compileTemplate(template: string): CompiledTemplate {
  let compiled = compiledTemplates.get(template);
  if (compiled !== undefined) return compiled;
  const literals: string[] = [];
  const keys: string[] = [];
  const wholes: string[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    literals.push(template.slice(last, match.index));
    keys.push(match[1] as string);
    wholes.push(match[0]);
    last = match.index + match[0].length;
  }
  const tail = template.slice(last);
  compiled =
    keys.length === 0
      ? () => template
      : (data) => {
          let text = '';
          for (let index = 0; index < keys.length; index += 1) {
            const value = data[keys[index] as string];
            text += (literals[index] as string) + (value !== undefined ? String(value) : (wholes[index] as string));
          }
          return text + tail;
        };
  compiledTemplates.set(template, compiled);
  return compiled;
}

function unavailableReason(snapshot: Snapshot, need: Need): string | undefined {
  const daemon = snapshot.daemon;
  switch (need) {
    case 'daemon':
      return isUnavailable(daemon) ? daemon.reason : undefined;
    case 'daemonConfig':
      if (isUnavailable(daemon)) return daemon.reason;
      return isUnavailable(daemon.config) ? daemon.config.reason : undefined;
    case 'containers':
      return isUnavailable(snapshot.containers) ? snapshot.containers.reason : undefined;
    case 'images':
      return isUnavailable(snapshot.images) ? snapshot.images.reason : undefined;
    case 'networks':
      return isUnavailable(snapshot.networks) ? snapshot.networks.reason : undefined;
    case 'volumes':
      return isUnavailable(snapshot.volumes) ? snapshot.volumes.reason : undefined;
    case 'swarm':
      return isUnavailable(snapshot.swarm) ? snapshot.swarm.reason : undefined;
    case 'host': {
      const system = snapshot.host.system;
      if (system === undefined) return 'host facts were not collected';
      return isUnavailable(system) ? system.reason : undefined;
    }
    case 'files':
      return snapshot.files === undefined ? 'no Dockerfile or Compose file was given' : undefined;
    case 'dockerfiles':
      return snapshot.files === undefined && snapshot.imageContents === undefined ? 'no Dockerfile was given and no image was scanned' : undefined;
    case 'imageContents':
      return snapshot.imageContents === undefined ? 'image layers were not scanned (use dockaudit image, or audit --images)' : undefined;
  }
}

function familySubject(rule: AnyRule, snapshot: Snapshot): Subject {
  switch (rule.meta.family) {
    case 'daemon':
      return { kind: 'daemon', name: 'dockerd' };
    case 'container':
      return { kind: 'container', name: '*' };
    case 'image':
      return { kind: 'image', name: '*' };
    case 'inventory':
      return { kind: 'host', name: 'docker' };
    case 'host':
    case 'files':
      return { kind: 'host', name: snapshot.host.hostname };
    case 'swarm':
      return { kind: 'swarm', name: 'swarm' };
    case 'dockerfile':
    case 'compose':
      return { kind: 'file', name: '*' };
  }
}

function settingFor(config: Config, rule: AnyRule): RuleSetting | undefined {
  return config.rules[rule.meta.id] ?? config.rules[rule.meta.alias];
}

function isEnabled(setting: RuleSetting | undefined): boolean {
  if (setting === undefined) return true;
  if (typeof setting === 'string') return setting === 'on';
  return setting.enabled !== false;
}

function matchesSubject(pattern: string, subject: Subject): boolean {
  const candidates = [subject.name, subject.id].filter((value): value is string => Boolean(value));
  if (pattern.endsWith('*')) return candidates.some((value) => value.startsWith(pattern.slice(0, -1)));
  return candidates.some((value) => value === pattern || (subject.id !== undefined && pattern.length >= 12 && subject.id.startsWith(pattern)));
}

function matchesPath(pattern: string, file: string | undefined): boolean {
  if (file === undefined) return false;
  return pattern.endsWith('*') ? file.startsWith(pattern.slice(0, -1)) : file === pattern;
}

function findIgnore(ignores: IgnoreEntry[], rule: AnyRule, finding: Finding): IgnoreEntry | undefined {
  if (ignores.length === 0) return undefined;
  return ignores.find(
    (entry) =>
      (entry.rule === '*' || entry.rule === rule.meta.id || entry.rule === rule.meta.alias) &&
      (entry.subject === undefined || matchesSubject(entry.subject, finding.subject)) &&
      (entry.path === undefined || matchesPath(entry.path, finding.location?.file)),
  );
}

/** What every finding of one rule shares, worked out once per rule. */
interface RuleOutput {
  rule: AnyRule;
  /** The rule's messages and the built-in ones, each compiled. */
  templates: Map<string, CompiledTemplate>;
  references: Finding['references'];
  /** References of findings that decide only some of the rule's controls, by those controls. */
  referencesByDecided: Map<string, Finding['references']>;
  severityOverride: Severity | undefined;
}

/** The references of a finding that decides `decides` of its rule's controls: the others become related. */
function decidedReferences(output: RuleOutput, decides: string[]): Finding['references'] {
  const key = decides.join(',');
  let references = output.referencesByDecided.get(key);
  if (references === undefined) {
    const { cis, checklist, related = [] } = output.references;
    const others = cis.filter((control) => !decides.includes(control));
    references = { cis: cis.filter((control) => decides.includes(control)), checklist, ...(others.length + related.length > 0 ? { related: [...others, ...related] } : {}) };
    output.referencesByDecided.set(key, references);
  }
  return references;
}

/** A rule's references as its findings carry them: `related` only when it cites controls it does not decide. */
function referencesOf(rule: AnyRule): Finding['references'] {
  const { cis, checklist, related } = rule.meta.references;
  return { cis: [...cis], checklist: [...checklist], ...(related !== undefined && related.length > 0 ? { related: [...related] } : {}) };
}

function toFinding(output: RuleOutput, result: RuleResult): Finding {
  const meta = output.rule.meta;
  const render = output.templates.get(result.messageId);
  // Assigned key by key, in the order the JSON report shows them.
  const finding: Finding = {
    ruleId: meta.id,
    alias: meta.alias,
    title: meta.title,
    family: meta.family,
    status: render === undefined ? 'error' : result.status,
    severity: result.severity ?? output.severityOverride ?? meta.severity,
    references: result.decides === undefined ? output.references : decidedReferences(output, result.decides),
    subject: result.subject,
  } as Finding;
  if (result.location) finding.location = result.location;
  finding.message = render === undefined ? `unknown message id "${result.messageId}"` : render(result.data ?? NO_DATA);
  finding.messageId = result.messageId;
  if (result.status === 'fail' || result.status === 'warn') finding.remediation = meta.remediation;
  if (result.details !== undefined) finding.details = result.details;
  return finding;
}

function runOne(rule: AnyRule, snapshot: Snapshot, workloads: () => Workload[], setting: RuleSetting | undefined): RuleResult[] {
  // Files and image scans are only there when asked for; without them the rule was not asked.
  const needs = rule.meta.needs;
  if (needs.includes('files') && snapshot.files === undefined) return [];
  if (needs.includes('dockerfiles') && snapshot.files === undefined && snapshot.imageContents === undefined) return [];
  if (needs.includes('imageContents') && snapshot.imageContents === undefined) return [];
  for (const need of needs) {
    const reason = unavailableReason(snapshot, need);
    if (reason !== undefined) {
      return [{ subject: familySubject(rule, snapshot), status: 'skipped', messageId: '__skipped', data: { reason } }];
    }
  }
  const rawOptions = typeof setting === 'object' ? (setting.options ?? {}) : {};
  let options: unknown = rawOptions;
  if (rule.options) {
    const parsed = rule.options.safeParse(rawOptions);
    if (!parsed.success) {
      throw new ConfigError(`options of rule ${rule.meta.id}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
    }
    options = parsed.data;
  }
  try {
    return rule.check({
      snapshot,
      get workloads() {
        return workloads();
      },
      options,
    });
  } catch (error) {
    if (error instanceof WorkloadsFailed) throw error.reason;
    return [{ subject: familySubject(rule, snapshot), status: 'error', messageId: '__error', data: { reason: describeError(error) } }];
  }
}

const BUILTIN_MESSAGES: Record<string, string> = {
  __skipped: 'skipped: {{reason}}',
  __error: 'the rule failed: {{reason}}',
  __notListed: '{{count}} more findings of {{rule}} about this subject are not listed (at most {{limit}} per rule and subject; worst of them: {{worst}})',
};

/** The message of the finding that stands for those a report's cap left out. */
const NOT_LISTED_IN_REPORT = '{{count}} more findings of {{rule}} are not listed (at most {{limit}} findings in a report; worst of them: {{worst}})';

/**
 * Findings left out by a cap, folded into one: the worst status and severity among the
 * unsuppressed ones (so the exit code is what it would have been), suppressed only when all were.
 */
class NotListed {
  count = 0;
  private worst: Finding | undefined;
  private worstSuppressed: Finding | undefined;

  constructor(readonly first: Finding) {}

  add(finding: Finding): void {
    this.count += finding.notListed ?? 1;
    if (finding.suppressed) {
      if (this.worstSuppressed === undefined || worseThan(finding, this.worstSuppressed)) this.worstSuppressed = finding;
    } else if (this.worst === undefined || worseThan(finding, this.worst)) {
      this.worst = finding;
    }
  }

  /** The finding that stands for them, with `message` (already rendered) and the subject given. */
  finding(subject: Subject, message: string): Finding {
    const worst = (this.worst ?? this.worstSuppressed) as Finding;
    const { ruleId, alias, title, family, references } = this.first;
    const finding: Finding = { ruleId, alias, title, family, status: worst.status, severity: worst.severity, references, subject } as Finding;
    if (this.first.location && subject === this.first.subject) finding.location = this.first.location;
    finding.message = message;
    finding.messageId = '__notListed';
    if (worst.remediation !== undefined) finding.remediation = worst.remediation;
    if (this.worst === undefined) finding.suppressed = { reason: 'every finding not listed is suppressed' };
    // Last, as unpackFindings sets it: the JSON report is the same from either thread.
    finding.notListed = this.count;
    return finding;
  }

  /** `fail high`, for the message. */
  worstText(): string {
    const worst = (this.worst ?? this.worstSuppressed) as Finding;
    return `${worst.status} ${worst.severity}`;
  }
}

function worseThan(a: Finding, b: Finding): boolean {
  return (STATUS_RANK[a.status] ?? 9) - (STATUS_RANK[b.status] ?? 9) < 0 || (a.status === b.status && SEVERITY_RANK[a.severity] < SEVERITY_RANK[b.severity]);
}

function subjectKey(subject: Subject): string {
  return `${subject.kind}\u0000${subject.id ?? ''}\u0000${subject.name ?? ''}`;
}

/** The summary of `findings`: counts by status, failures by severity, suppressed ones. */
export function summarise(findings: Finding[], rules: number): ReportSummary {
  const byStatus = Object.fromEntries(STATUSES.map((status) => [status, 0])) as ReportSummary['byStatus'];
  const failuresBySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as ReportSummary['failuresBySeverity'];
  let suppressed = 0;
  for (const finding of findings) {
    byStatus[finding.status] += 1;
    if (finding.suppressed) suppressed += 1;
    else if (finding.status === 'fail') failuresBySeverity[finding.severity] += 1;
  }
  return { total: findings.length, byStatus, failuresBySeverity, suppressed, rules };
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
const STATUS_RANK: Record<string, number> = { error: 0, fail: 1, warn: 2, manual: 3, info: 4, skipped: 5, pass: 6 };

/** Code-unit order: the same on every machine and locale, and far cheaper than localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Worst first: status, then severity, rule id, subject name and file. The sort is stable, so
 * findings about one file keep the order their rule gave them, however the files were split up.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (STATUS_RANK[a.status] ?? 9) - (STATUS_RANK[b.status] ?? 9) ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.subject.name ?? '', b.subject.name ?? '') ||
    compareText(a.location?.file ?? '', b.location?.file ?? '')
  );
}

/**
 * The findings in compareFindings order, sorted in buckets of one status, severity and rule: a
 * report may hold 100,000 findings but only a few hundred buckets, and within a bucket only
 * the subject and file remain to compare. Stable, like Array.prototype.sort.
 */
export function sortFindings(findings: Finding[]): Finding[] {
  const buckets = new Map<string, Finding[]>();
  // Findings come rule by rule, so most of them go to the bucket of the finding before them.
  let bucket: Finding[] | undefined;
  let status = '';
  let severity = '';
  let ruleId = '';
  for (const finding of findings) {
    if (bucket === undefined || finding.status !== status || finding.severity !== severity || finding.ruleId !== ruleId) {
      ({ status, severity, ruleId } = finding);
      const key = `${STATUS_RANK[status] ?? 9}${SEVERITY_RANK[finding.severity]}${ruleId}`;
      bucket = buckets.get(key);
      if (bucket === undefined) {
        bucket = [];
        buckets.set(key, bucket);
      }
    }
    bucket.push(finding);
  }
  const sorted: Finding[] = [];
  for (const key of [...buckets.keys()].sort(compareText)) {
    const found = buckets.get(key) as Finding[];
    if (found.length > 1) {
      found.sort((a, b) => compareText(a.subject.name ?? '', b.subject.name ?? '') || compareText(a.location?.file ?? '', b.location?.file ?? ''));
    }
    for (const finding of found) sorted.push(finding);
  }
  return sorted;
}

/** Every id and alias of the given rules. */
export function ruleNames(rules: AnyRule[]): Set<string> {
  return new Set(rules.flatMap((rule) => [rule.meta.id, rule.meta.alias]));
}

/** Checks that every rule named in the config is one of `known` (ids and aliases). */
export function validateRuleNames(config: Config, known: Set<string>): void {
  for (const name of [...Object.keys(config.rules), ...config.ignore.map((entry) => entry.rule).filter((rule) => rule !== '*')]) {
    if (!known.has(name)) throw new ConfigError(`unknown rule "${name}" in configuration`);
  }
}

export interface RunOptions {
  toolVersion: string;
  /**
   * Maps the snapshot's Compose files to workloads (`workloadsFromCompose`); required when the
   * snapshot holds Compose files. Passed in so a host audit never loads the Compose model.
   */
  fileWorkloads?: (snapshot: Snapshot) => Workload[];
  /** Ids and aliases of every rule, when only some were loaded; defaults to those run. */
  knownRuleNames?: Set<string>;
}

/** The findings of some rules over a snapshot, unsorted, and how many rules ran. */
export interface Evaluation {
  findings: Finding[];
  rulesRun: number;
}

/** The workloads could not be worked out: the run fails, not the rule that asked first. */
class WorkloadsFailed extends Error {
  constructor(readonly reason: unknown) {
    super('the workloads could not be worked out');
  }
}

/**
 * The workloads of a snapshot, worked out when a rule first asks: mapping Compose services is
 * much of the cost of a Compose file, and a run of the Dockerfile rules alone never needs it.
 */
function workloadsOnDemand(snapshot: Snapshot, runOptions: RunOptions): () => Workload[] {
  const fileWorkloads = runOptions.fileWorkloads;
  const hasCompose = snapshot.files?.files.some((file) => file.kind === 'compose') === true;
  if (hasCompose && !fileWorkloads) throw new InternalError('the snapshot holds Compose files but the engine was given no Compose mapper');
  let workloads: Workload[] | undefined;
  return () => {
    if (workloads === undefined) {
      try {
        const found = workloadsOf(snapshot);
        if (hasCompose && fileWorkloads) found.push(...fileWorkloads(snapshot));
        // In report order already, so the per-rule findings need next to no sorting later.
        workloads = found.sort((a, b) => compareText(a.name, b.name) || compareText(a.location?.file ?? '', b.location?.file ?? ''));
      } catch (error) {
        throw new WorkloadsFailed(error);
      }
    }
    return workloads;
  };
}

/**
 * Runs the enabled rules among `rules` over the snapshot, with config and suppressions applied.
 * The rule names the config uses are checked by runRules, not here: the rules of a run may be
 * evaluated in shares.
 */
export function evaluateRules(snapshot: Snapshot, rules: AnyRule[], config: Config, runOptions: RunOptions): Evaluation {
  const workloads = workloadsOnDemand(snapshot, runOptions);
  const findings: Finding[] = [];
  const suppressions = suppressionIndex(snapshot);
  const perRuleAndSubject = config.limits?.findingsPerRuleAndSubject ?? DEFAULT_LIMITS.findingsPerRuleAndSubject;
  let rulesRun = 0;
  for (const rule of rules) {
    const setting = settingFor(config, rule);
    if (!isEnabled(setting)) continue;
    rulesRun += 1;
    const templates = new Map<string, CompiledTemplate>();
    for (const [messageId, template] of Object.entries({ ...BUILTIN_MESSAGES, ...rule.meta.messages })) templates.set(messageId, compileTemplate(template));
    const output: RuleOutput = {
      rule,
      templates,
      // One references object per rule, shared by its findings: a report may hold 100,000 of them.
      references: referencesOf(rule),
      referencesByDecided: new Map(),
      severityOverride: typeof setting === 'object' ? setting.severity : undefined,
    };
    // Findings of this rule per subject, and those beyond the cap folded by subject.
    const perSubject = new Map<string, number>();
    const notListed = new Map<string, NotListed>();
    for (const result of runOne(rule, snapshot, workloads, setting)) {
      const finding = toFinding(output, result);
      const ignore = findIgnore(config.ignore, rule, finding) ?? inlineSuppression(snapshot, rule.meta, finding.location, suppressions);
      if (ignore) finding.suppressed = { reason: ignore.reason, kind: 'line' in ignore ? 'inSource' : 'external' };
      const key = subjectKey(finding.subject);
      const listed = perSubject.get(key) ?? 0;
      if (listed < perRuleAndSubject) {
        perSubject.set(key, listed + 1);
        findings.push(finding);
        continue;
      }
      let folded = notListed.get(key);
      if (folded === undefined) notListed.set(key, (folded = new NotListed(finding)));
      folded.add(finding);
    }
    for (const folded of notListed.values()) {
      const data = { count: folded.count, rule: rule.meta.id, limit: perRuleAndSubject, worst: folded.worstText() };
      findings.push(folded.finding(folded.first.subject, (templates.get('__notListed') as CompiledTemplate)(data)));
    }
  }
  return { findings, rulesRun };
}

/**
 * The report of evaluations of disjoint sets of rules: findings worst first, the summary, the
 * target. Each bucket of the sort holds one rule's findings, in the order the rule gave them,
 * so the report is the same however the rules were shared out.
 */
export function reportOf(snapshot: Snapshot, evaluations: Evaluation[], toolVersion: string, limits: Limits = {}): Report {
  const sorted = sortFindings(evaluations.length === 1 ? (evaluations[0] as Evaluation).findings : evaluations.flatMap((evaluation) => evaluation.findings));
  const { findings, notListed } = capFindings(sorted, limits.findings ?? DEFAULT_LIMITS.findings);
  addFingerprints(findings, snapshot);
  const daemon = snapshot.daemon;
  const daemonVersion = isUnavailable(daemon) ? undefined : str(daemon.version, 'Version') || undefined;
  let rulesRun = 0;
  for (const evaluation of evaluations) rulesRun += evaluation.rulesRun;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'dockaudit', version: toolVersion },
    target: {
      dockerHost: snapshot.target.dockerHost,
      hostname: snapshot.host.hostname,
      collectedAt: snapshot.collectedAt,
      ...(daemonVersion ? { daemonVersion } : {}),
    },
    summary: { ...summarise(findings, rulesRun), ...(notListed > 0 ? { notListed } : {}) },
    findings,
    problems: [...snapshot.problems, ...hostProblems(snapshot)],
    fingerprintScheme: FINGERPRINT_SCHEME,
  };
}

/**
 * The first `limit` findings (the worst: they are sorted), then one finding per rule for those
 * beyond, worst first. `notListed` counts every finding a cap left out, by subject or here.
 */
function capFindings(sorted: Finding[], limit: number): { findings: Finding[]; notListed: number } {
  let notListed = 0;
  for (const finding of sorted) notListed += finding.notListed ?? 0;
  if (sorted.length <= limit) return { findings: sorted, notListed };
  const kept = sorted.slice(0, limit);
  const byRule = new Map<string, NotListed>();
  for (let index = limit; index < sorted.length; index += 1) {
    const finding = sorted[index] as Finding;
    let folded = byRule.get(finding.ruleId);
    if (folded === undefined) byRule.set(finding.ruleId, (folded = new NotListed(finding)));
    folded.add(finding);
    notListed += finding.notListed === undefined ? 1 : 0;
  }
  const summaries = [...byRule.values()].map((folded) =>
    folded.finding({ kind: folded.first.subject.kind, name: '*' }, renderMessage(NOT_LISTED_IN_REPORT, { count: folded.count, rule: folded.first.ruleId, limit, worst: folded.worstText() })),
  );
  return { findings: [...kept, ...sortFindings(summaries)], notListed };
}

/** The report of one daemon among several, and the label its findings carry. */
export interface TargetReport {
  label: string;
  summary: TargetSummary;
  report: Report;
}

/**
 * One report of several daemons (and of the files judged once beside them): each target's
 * findings and problems labelled with it, all findings sorted and capped together, the summary
 * counted again. `rules` is the most any one evaluation ran. The header names every target.
 */
export function mergeReports(targets: TargetReport[], files: Report | undefined, toolVersion: string, limits: Limits = {}): Report {
  const all: Finding[] = [];
  const problems: Report['problems'] = [];
  const incomplete: string[] = [];
  let rules = files?.summary.rules ?? 0;
  for (const { label, report } of targets) {
    for (const finding of report.findings) {
      finding.target = label;
      if (finding.fingerprint !== undefined) finding.fingerprint = targetFingerprint(finding.fingerprint, label);
      all.push(finding);
    }
    for (const problem of report.problems) problems.push({ ...problem, target: label });
    for (const reason of report.incomplete ?? []) incomplete.push(`target ${label}: ${reason}`);
    rules = Math.max(rules, report.summary.rules);
  }
  if (files) {
    for (const finding of files.findings) all.push(finding);
    problems.push(...files.problems);
    incomplete.push(...(files.incomplete ?? []));
  }
  const { findings, notListed } = capFindings(sortFindings(all), limits.findings ?? DEFAULT_LIMITS.findings);
  // The findings that stand for those the merged cap left out are new here.
  addFingerprints(findings, undefined, true);
  const first = targets[0]?.report.target;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'dockaudit', version: toolVersion },
    target: {
      dockerHost: targets.map((target) => target.label).join(', '),
      hostname: first?.hostname ?? '',
      collectedAt: first?.collectedAt ?? new Date().toISOString(),
    },
    summary: { ...summarise(findings, rules), ...(notListed > 0 ? { notListed } : {}) },
    findings,
    problems,
    ...(incomplete.length > 0 ? { incomplete } : {}),
    targets: targets.map((target) => target.summary),
    fingerprintScheme: FINGERPRINT_SCHEME,
  };
}

/** Runs the rules over the snapshot and returns the report. */
export function runRules(snapshot: Snapshot, rules: AnyRule[], config: Config, runOptions: RunOptions): Report {
  validateRuleNames(config, runOptions.knownRuleNames ?? ruleNames(rules));
  return reportOf(snapshot, [evaluateRules(snapshot, rules, config, runOptions)], runOptions.toolVersion, config.limits);
}

/**
 * Runs `rules` over the snapshot while `elsewhere` (another thread) evaluates the other rules of
 * the run, and returns the report of both. The config is checked against
 * `runOptions.knownRuleNames`, which must then name every rule.
 */
export async function runRulesAlongside(
  snapshot: Snapshot,
  rules: AnyRule[],
  config: Config,
  runOptions: RunOptions,
  elsewhere: Promise<Evaluation>,
): Promise<Report> {
  let here: Evaluation;
  try {
    validateRuleNames(config, runOptions.knownRuleNames ?? ruleNames(rules));
    here = evaluateRules(snapshot, rules, config, runOptions);
  } catch (error) {
    // Settled either way, so a failure over there is not left unhandled.
    elsewhere.catch(() => undefined);
    throw error;
  }
  return reportOf(snapshot, [here, await elsewhere], runOptions.toolVersion, config.limits);
}

/** What the host collection could not see, as report problems (the header lists them). */
function hostProblems(snapshot: Snapshot): CollectionProblem[] {
  const system = snapshot.host.system;
  if (system === undefined) return [];
  if (isUnavailable(system)) return [{ scope: 'host', reason: system.reason }];
  return system.notVisible.map((reason) => ({ scope: 'host' as const, reason }));
}

/** Whether the report should fail a CI gate at `failOn`. */
export function exceedsThreshold(report: Report, failOn: Severity): boolean {
  return report.findings.some(
    (finding) => finding.status === 'fail' && !finding.suppressed && SEVERITY_RANK[finding.severity] <= SEVERITY_RANK[failOn],
  );
}

/** Whether any rule errored, so the audit is incomplete. */
export function hasErrors(report: Report): boolean {
  return report.findings.some((finding) => finding.status === 'error' && !finding.suppressed);
}
