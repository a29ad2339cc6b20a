/**
 * `audit({ swarm })`: every node of a Swarm in one report. The manager is checked and its nodes
 * listed (collect/swarm-job.ts), the cluster-wide checks (CIS 7) are judged once from the
 * manager's snapshot, then the dockaudit image audits each node where it runs, as a one-shot
 * global job, and each node's report comes back through its task's logs. The report has one
 * target for the cluster and one per node; a node that did not answer is a target whose checks
 * are skipped with the reason, and the audit is then incomplete.
 */
import { configSchema, type Config } from '../engine/config.js';
import { REPORT_SCHEMA_VERSION, type Finding, type Report, type TargetSummary } from '../engine/report.js';
import { mergeReports, summarise, type TargetReport } from '../engine/run.js';
import { ConfigError, UsageError, describeError } from '../errors.js';
import { formatJson } from '../report/json.js';
import { RULE_FAMILIES, SEVERITIES, STATUSES } from '../rules/types.js';
import { str } from '../snapshot/api-document.js';
import { isUnavailable, type Snapshot } from '../snapshot/types.js';
import { VERSION } from '../version.js';
import { evaluate, preloadHostRules } from './evaluate.js';
import { requestBounds } from './limits.js';
import { collectFilesOf, collectTarget, incompleteCollection, locate, markIncomplete, refusedFiles, unauditedSnapshot } from './pipeline.js';
import type { AuditOptions, Hooks } from './types.js';

/** How long the nodes have to answer by default. */
export const DEFAULT_SWARM_TIMEOUT_MS = 300_000;
export const DEFAULT_SWARM_SOCKET = '/var/run/docker.sock';
/** The image the nodes run by default: this version of dockaudit, as `npm run image` tags it. */
export const DEFAULT_SWARM_IMAGE = `dockaudit:${VERSION}`;
/** The variable that hands the manager's effective configuration to the node runs. */
export const SWARM_CONFIG_ENV = 'DOCKAUDIT_SWARM_CONFIG';

/** The node runs' collection deadline: theirs, within the time the nodes have to answer. */
function nodeTargetTimeout(given: number | undefined, swarmTimeoutMs: number): number {
  return Math.round(Math.min(given ?? 300_000, Math.max(swarmTimeoutMs * 0.75, swarmTimeoutMs - 30_000)));
}

/** The arguments every node's run gets after `audit --swarm-node RUN --host-root /host`. */
function nodeArguments(options: AuditOptions, config: Config, swarmTimeoutMs: number): string[] {
  const bounds = requestBounds(options, config.limits);
  const args = ['--target-timeout', `${nodeTargetTimeout(bounds.targetTimeoutMs, swarmTimeoutMs)}ms`];
  if (bounds.requestTimeoutMs !== undefined) args.push('--request-timeout', `${bounds.requestTimeoutMs}ms`);
  if (bounds.maxResponseBytes !== undefined) args.push('--max-response-bytes', String(bounds.maxResponseBytes));
  if (options.concurrency !== undefined) args.push('--concurrency', String(options.concurrency));
  // The task's filesystem is read-only: scans keep nothing on disk.
  if (options.images) args.push('--images', '--no-cache');
  return args;
}

/**
 * Node names as the report shows them: the hostname, with the first 12 characters of the node id
 * when two share it. A hostname is what the node says of itself, so no label may be another's:
 * a hostname with a `/` in it, or one equal to one of `reserved` (the cluster's), is followed by
 * the full node id, which the manager gives, no two nodes share, and holds no `/`. Plain
 * hostnames have no `/`, the others end in an id of 12 or of all its characters, so no two
 * labels can be the same.
 */
export function nodeLabels(nodes: { id: string; hostname: string }[], reserved: string[] = []): Map<string, string> {
  const counts = new Map<string, number>();
  for (const node of nodes) counts.set(node.hostname, (counts.get(node.hostname) ?? 0) + 1);
  const taken = new Set(reserved);
  const short = new Map<string, number>();
  for (const node of nodes) short.set(`${node.hostname}/${node.id.slice(0, 12)}`, (short.get(`${node.hostname}/${node.id.slice(0, 12)}`) ?? 0) + 1);
  return new Map(
    nodes.map((node) => {
      const full = `${node.hostname}/${node.id}`;
      if (node.hostname.includes('/') || taken.has(node.hostname) || node.id.length <= 12) return [node.id, full];
      if ((counts.get(node.hostname) ?? 0) === 1 && node.hostname !== '') return [node.id, node.hostname];
      const shortLabel = `${node.hostname}/${node.id.slice(0, 12)}`;
      return [node.id, (short.get(shortLabel) ?? 0) > 1 ? full : shortLabel];
    }),
  );
}

const STATUS_SET = new Set<string>(STATUSES);
const SEVERITY_SET = new Set<string>(SEVERITIES);
const FAMILY_SET = new Set<string>(RULE_FAMILIES);
const SUBJECT_KINDS = new Set<string>(['daemon', 'container', 'service', 'compose-service', 'image', 'network', 'host', 'swarm', 'file']);
const PROBLEM_SCOPES = new Set<string>(['daemon', 'container', 'image', 'network', 'volume', 'swarm', 'host', 'file']);

/** A node's report is only as trustworthy as the node: every field is checked, none is taken unread. */
class Malformed extends Error {}

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function optionalString(fields: Fields, key: string): { [key: string]: string } | Record<string, never> {
  const value = fields[key];
  if (value === undefined) return {};
  if (typeof value !== 'string') throw new Malformed();
  return { [key]: value };
}

/**
 * One finding of a node's report, rebuilt from the fields a finding has, each of its type; a
 * `target` the node names is not taken (the manager says which node a report came from).
 */
function findingOf(value: unknown): Finding {
  if (!isObject(value)) throw new Malformed();
  const { ruleId, alias, title, family, status, severity, references, subject, location, message, messageId, suppressed, notListed } = value;
  if (typeof ruleId !== 'string' || typeof alias !== 'string' || typeof title !== 'string' || typeof message !== 'string' || typeof messageId !== 'string') throw new Malformed();
  if (typeof family !== 'string' || !FAMILY_SET.has(family) || typeof status !== 'string' || !STATUS_SET.has(status) || typeof severity !== 'string' || !SEVERITY_SET.has(severity)) throw new Malformed();
  if (!isObject(references) || !isStrings(references['cis']) || !isStrings(references['checklist'])) throw new Malformed();
  if (references['related'] !== undefined && !isStrings(references['related'])) throw new Malformed();
  if (!isObject(subject) || typeof subject['kind'] !== 'string' || !SUBJECT_KINDS.has(subject['kind'])) throw new Malformed();
  if (location !== undefined && !(isObject(location) && typeof location['file'] === 'string' && isCount(location['line']) && (location['column'] === undefined || isCount(location['column'])))) throw new Malformed();
  if (suppressed !== undefined && !(isObject(suppressed) && typeof suppressed['reason'] === 'string')) throw new Malformed();
  if (notListed !== undefined && !isCount(notListed)) throw new Malformed();
  return {
    ruleId,
    alias,
    title,
    family: family as Finding['family'],
    status: status as Finding['status'],
    severity: severity as Finding['severity'],
    references: {
      cis: [...references['cis']],
      checklist: [...references['checklist']],
      ...(references['related'] !== undefined ? { related: [...(references['related'] as string[])] } : {}),
    },
    subject: { kind: subject['kind'] as Finding['subject']['kind'], ...optionalString(subject, 'id'), ...optionalString(subject, 'name') },
    ...(location !== undefined ? { location: { file: location['file'] as string, line: location['line'] as number, ...(location['column'] !== undefined ? { column: location['column'] as number } : {}) } } : {}),
    message,
    messageId,
    ...optionalString(value, 'remediation'),
    ...(suppressed !== undefined ? { suppressed: { reason: suppressed['reason'] as string } } : {}),
    ...(notListed !== undefined ? { notListed } : {}),
    ...optionalString(value, 'fingerprint'),
    // Structured data a rule attaches (DA461's packages): JSON the node's report already held, within its size cap.
    ...(isObject(value['details']) ? { details: value['details'] as Finding['details'] & object } : {}),
  };
}

/** One collection problem of a node's report, rebuilt; its `target` is not taken either. */
function problemOf(value: unknown): Report['problems'][number] {
  if (!isObject(value) || typeof value['scope'] !== 'string' || !PROBLEM_SCOPES.has(value['scope']) || typeof value['reason'] !== 'string') throw new Malformed();
  if (value['unaudited'] !== undefined && value['unaudited'] !== true) throw new Malformed();
  return {
    scope: value['scope'] as Report['problems'][number]['scope'],
    ...optionalString(value, 'subject'),
    reason: value['reason'],
    ...(value['unaudited'] === true ? { unaudited: true as const } : {}),
  };
}

function each<T>(values: unknown[], read: (value: unknown) => T, why: string): T[] {
  try {
    return values.map(read);
  } catch (error) {
    if (error instanceof Malformed) throw new Error(why);
    throw error;
  }
}

/**
 * A node's report, as its run wrote it, rebuilt from the fields a report has, each checked for
 * its type; anything else throws with why. What the node adds of its own (a list of targets, a
 * finding's target, fields no report has) is dropped: the manager names the node.
 */
export function parseNodeReport(text: string): Report {
  const parsed = JSON.parse(text) as unknown;
  if (!isObject(parsed) || parsed['schemaVersion'] !== REPORT_SCHEMA_VERSION) throw new Error(`not a dockaudit report of schema ${REPORT_SCHEMA_VERSION}`);
  const { findings, problems, summary, incomplete, target, tool, fingerprintScheme } = parsed;
  if (fingerprintScheme !== undefined && !isCount(fingerprintScheme)) throw new Error('its fingerprint scheme is malformed');
  if (!Array.isArray(findings)) throw new Error('its findings are malformed');
  const checkedFindings = each(findings, findingOf, 'its findings are malformed');
  if (!Array.isArray(problems) || !isObject(summary) || !isCount(summary['rules'])) throw new Error('its summary or problems are malformed');
  const checkedProblems = each(problems, problemOf, 'its summary or problems are malformed');
  if (incomplete !== undefined && !isStrings(incomplete)) throw new Error('its incomplete reasons are malformed');
  if (target !== undefined && !(isObject(target) && ['dockerHost', 'hostname', 'collectedAt', 'daemonVersion'].every((key) => target[key] === undefined || typeof target[key] === 'string'))) throw new Error('its target is malformed');
  const daemonVersion = isObject(target) ? (target['daemonVersion'] as string | undefined) : undefined;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'dockaudit', version: isObject(tool) && typeof tool['version'] === 'string' ? tool['version'] : '' },
    target: {
      dockerHost: isObject(target) ? ((target['dockerHost'] as string | undefined) ?? '') : '',
      hostname: isObject(target) ? ((target['hostname'] as string | undefined) ?? '') : '',
      collectedAt: isObject(target) ? ((target['collectedAt'] as string | undefined) ?? '') : '',
      ...(daemonVersion !== undefined ? { daemonVersion } : {}),
    },
    // Of a node's summary only `rules` is taken: the counts are made again from the findings.
    // Counted here rather than taken from the node.
    summary: summarise(checkedFindings, summary['rules']),
    findings: checkedFindings,
    problems: checkedProblems,
    ...(incomplete !== undefined ? { incomplete: [...incomplete] } : {}),
    ...(fingerprintScheme !== undefined ? { fingerprintScheme } : {}),
  };
}

/**
 * What a node's report says that belongs to the node: the cluster-wide checks are judged once
 * from the manager, and the audit's own task container is not part of what is audited.
 */
export function nodeFindings(report: Report, serviceName: string): Report {
  const ownTask = (name: string | undefined): boolean => name !== undefined && (name === serviceName || name.startsWith(`${serviceName}.`));
  return {
    ...report,
    findings: report.findings.filter((finding) => finding.family !== 'swarm' && !((finding.subject.kind === 'container' || finding.subject.kind === 'service') && ownTask(finding.subject.name))),
    problems: report.problems.filter((problem) => !ownTask(problem.subject)),
  };
}

/** The manager daemon's name, when its snapshot has it. */
function managerName(snapshot: Snapshot): string | undefined {
  return isUnavailable(snapshot.daemon) ? undefined : str(snapshot.daemon.info, 'Name') || undefined;
}

/** Audits the Swarm the target manages: one target for the cluster, one per node. */
export async function auditSwarm(options: AuditOptions, config: Config): Promise<Report> {
  const targets = options.targets ?? [];
  if (targets.length > 1) throw new UsageError('--swarm audits the swarm of one manager: give one --host or --context');
  const target: AuditOptions = targets.length === 1 ? { ...options, ...targets[0] } : options;
  if (target.hostRoot !== undefined) throw new UsageError('--host-root does not go with --swarm: each node is audited under its own root');
  const swarm = options.swarm ?? {};
  const timeoutMs = swarm.timeoutMs ?? DEFAULT_SWARM_TIMEOUT_MS;
  const image = swarm.image ?? DEFAULT_SWARM_IMAGE;
  const located = await locate(target, target.env ?? process.env);
  const bounds = requestBounds(target, config.limits);
  const { openSwarm } = await import('../collect/swarm-job.js');
  const cluster = await openSwarm({
    ...(located.host !== undefined ? { host: located.host } : {}),
    env: located.env,
    image,
    timeoutMs,
    socket: swarm.socket ?? DEFAULT_SWARM_SOCKET,
    nodeArgs: nodeArguments(target, config, timeoutMs),
    nodeEnv: [`${SWARM_CONFIG_ENV}=${JSON.stringify(config)}`],
    ...(bounds.maxResponseBytes !== undefined ? { maxResponseBytes: bounds.maxResponseBytes } : {}),
    ...(bounds.requestTimeoutMs !== undefined ? { requestTimeoutMs: bounds.requestTimeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onCreated ? { onCreated: options.onCreated } : {}),
    progress: (done, total) => options.onProgress?.({ kind: 'collect', stage: 'swarm nodes', done, total }),
  });
  preloadHostRules();
  const { onPhase: _phases, ...hooks }: Hooks = options;
  const files = await collectFilesOf(options, options);
  // The cluster's own checks, from the manager, before the job exists (so it is not among its services).
  const managerSnapshot = await collectTarget({ ...target, config }, located);
  const clusterReport = await evaluate(managerSnapshot, config, 'cluster', hooks);
  markIncomplete(clusterReport, incompleteCollection(managerSnapshot));
  const clusterLabel = `swarm ${cluster.clusterId.slice(0, 12)}`;
  const clusterTarget: TargetReport = {
    label: clusterLabel,
    summary: { address: cluster.address, ...(located.context !== undefined ? { context: located.context } : {}), label: clusterLabel, name: managerName(managerSnapshot) ?? clusterLabel, version: cluster.engineVersion, reachable: true, cluster: cluster.clusterId },
    report: clusterReport,
  };
  const results = await cluster.run();
  options.onPhase?.('collect');
  const labels = nodeLabels(cluster.nodes, [clusterLabel]);
  const nodeTargets: TargetReport[] = [];
  for (const result of results) {
    const { node } = result;
    const label = labels.get(node.id) as string;
    const identity = { id: node.id, hostname: node.hostname, role: node.role, ...(node.engineVersion ? { engineVersion: node.engineVersion } : {}) };
    const address = node.address ?? node.id;
    let reason = 'reason' in result ? result.reason : undefined;
    if ('report' in result) {
      try {
        const report = nodeFindings(parseNodeReport(result.report), cluster.serviceName);
        const summary: TargetSummary = { address, label, name: node.hostname, version: report.target?.daemonVersion ?? node.engineVersion ?? '', reachable: true, node: identity };
        nodeTargets.push({ label, summary, report });
        continue;
      } catch (error) {
        reason = `its report cannot be read: ${describeError(error)}`;
      }
    }
    const why = `swarm node ${label}: ${reason ?? 'no report'}`;
    const snapshot = unauditedSnapshot(address, why);
    const report = await evaluate(snapshot, config, 'node', hooks);
    markIncomplete(report, incompleteCollection(snapshot));
    nodeTargets.push({ label, summary: { address, label, reachable: false, reason: why, node: identity }, report });
  }
  let filesReport: Report | undefined;
  if (files) {
    const { filesOnlySnapshot } = await import('../collect/source-files-only.js');
    filesReport = await evaluate(filesOnlySnapshot(files), config, 'files', hooks);
  }
  const report = mergeReports([clusterTarget, ...nodeTargets], filesReport, VERSION, config.limits);
  markIncomplete(report, refusedFiles(files));
  options.onPhase?.('evaluate');
  return report;
}

/**
 * The configuration a node's run judges with: the manager's, handed over in SWARM_CONFIG_ENV,
 * or undefined when there is none.
 */
export function swarmNodeConfig(env: NodeJS.ProcessEnv): Config | undefined {
  const text = env[SWARM_CONFIG_ENV];
  if (text === undefined || text === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${SWARM_CONFIG_ENV} is not JSON: ${describeError(error)}`);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${SWARM_CONFIG_ENV}: ${parsed.error.issues[0]?.message ?? 'not a configuration'}`);
  return parsed.data;
}

/** The lines a node's run writes: its report, framed for the manager to read back from the logs. */
export async function swarmNodeLines(report: Report, run: string): Promise<string[]> {
  const { frameReport } = await import('../collect/swarm-frames.js');
  return frameReport(formatJson(report), run);
}
