/**
 * dockaudit as a library: what the package exports.
 *
 *   import { audit, outcomeOf, loadConfig } from 'dockaudit';
 *   const config = await loadConfig({ cwd: process.cwd() });
 *   const report = await audit({ config, paths: ['.'] });
 *   if (outcomeOf(report, config.failOn).kind !== 'clean') process.exitCode = 1;
 *
 * Every entry point returns the report the JSON format serialises (`formatJson`), typed below.
 */
export { audit, incompleteCollection, lint, readSnapshot, scanImages, snapshot } from './pipeline.js';
export { parseListenAddress, parseStatuses, parseConcurrency, parseCount, parseDuration, parseFileBytes, parseSize, parseTargetConcurrency, requestLimits, scanLimitsOf, type LimitFlags, type RequestLimits, type ScanLimitFlags } from './limits.js';
export { outcomeOf, type Outcome } from './outcome.js';
export { updateVulnDb, vulnDbLimitsOf, type VulnDbLimitFlags, type VulnDbUpdateOptions, type VulnDbUpdateResult } from './vuln-db.js';
export { DEFAULT_SWARM_IMAGE, DEFAULT_SWARM_SOCKET, DEFAULT_SWARM_TIMEOUT_MS, swarmNodeConfig, swarmNodeLines } from './swarm.js';
export { MAX_BASELINE_BYTES, parseBaseline, readBaseline, type Baseline } from './baseline.js';
export { splitSelectors } from '../engine/select.js';
export type { BenchmarkKind } from '../engine/benchmark.js';
export { findConfigFile, loadConfig, type ConfigOverrides } from './config-file.js';
export { listRules } from './rules.js';
export {
  fixAuditRules,
  fixCompose,
  fixDaemonJson,
  type AuditRulesFile,
  type ComposeFixOptions,
  type ComposeOverride,
  type DaemonJsonChange,
  type DaemonJsonFixOptions,
  type DaemonJsonFixResult,
  type FixHostOptions,
  type FixNote,
} from './fix.js';
export {
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_SOCKET,
  classifyRequest,
  decideRequest,
  decideUnreadable,
  guard,
  guardPolicy,
  type AuthzAnswer,
  type DecisionRecord,
  type Endpoint,
  type GuardDecision,
  type GuardMode,
  type GuardOptions,
  type GuardPolicy,
  type GuardPolicyOptions,
  type GuardServer,
  type GuardedKind,
} from '../guard/index.js';
export type {
  AuditOptions,
  FileOptions,
  Hooks,
  ImageCacheOptions,
  JudgeOptions,
  LintOptions,
  Phase,
  ProgressEvent,
  RegistryCheckBounds,
  ReportViewOptions,
  ScanImagesOptions,
  SnapshotOptions,
  SwarmOptions,
  TargetOptions,
  WorkerSetting,
} from './types.js';

export { formatJson } from '../report/json.js';
export { formatJunit } from '../report/junit.js';
export { formatCheckstyle } from '../report/checkstyle.js';
export { formatGithub } from '../report/github.js';
export { formatGitlab } from '../report/gitlab.js';
export { formatHtml, htmlPieces } from '../report/html.js';
export { formatMarkdown, type MarkdownOptions } from '../report/markdown.js';
export { formatSarif } from '../report/sarif.js';
export { formatText, type TextOptions } from '../report/text.js';
export { parseSnapshot, serialiseSnapshot } from '../snapshot/io.js';

export {
  REPORT_SCHEMA_VERSION,
  type BaselineSummary,
  type BenchmarkScore,
  type BenchmarkView,
  type ControlStatus,
  type ControlVerdict,
  type Finding,
  type Report,
  type ReportSummary,
  type ResolvedFinding,
} from '../engine/report.js';
export { DEFAULT_CONFIG, DEFAULT_LIMITS, type Config, type Limits, type IgnoreEntry, type RuleSetting } from '../engine/config.js';
export { SEVERITIES, STATUSES, RULE_FAMILIES, type RuleFamily, type RuleMeta, type Severity, type Status, type Subject } from '../rules/types.js';
export type { SourceLocation } from '../views/workload.js';
export type { CollectionProblem, Snapshot } from '../snapshot/types.js';
export { CollectionError, ConfigError, DockauditError, InternalError, SnapshotError, UsageError, type ErrorKind } from '../errors.js';
export { VERSION } from '../version.js';
/** Writes a report or snapshot file readable by its owner alone, never through a symbolic link. */
export { writePrivateFile } from '../collect/private-file.js';
export { watch, DEFAULT_BACKOFF_INITIAL_MS, DEFAULT_BACKOFF_MAX_MS, DEFAULT_HEARTBEAT_MS, DEFAULT_WATCHED_STATUSES, type WatchChange, type WatchHandle, type WatchOptions, type WatchStats, type WatchTrigger, type EventTrigger, type AuditTrigger } from './watch.js';
export { renderMetrics, renderTargetsMetrics, serveMetrics } from './watch-metrics.js';
export { DEFAULT_DAEMON_REFRESH_MS, followDaemonFacts, guardWithDaemonFacts, readDaemonFacts, type GuardDaemonOptions } from './guard-daemon.js';
export { openWatchSinks, type WatchSinkOptions, type WatchSinks } from './watch-sinks.js';
export { DEFAULT_SPOOL_MAX_BYTES } from './watch-spool.js';
export { DEFAULT_WEBHOOK_TIMEOUT_MS, redactedUrl } from './watch-webhook.js';
