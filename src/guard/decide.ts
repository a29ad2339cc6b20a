/**
 * The guard's decision: one AuthZ request in, allow or refuse out, with the record to log. Pure:
 * the rules, the config and the clock come in through the policy, so every decision can be
 * tested without a socket or a daemon.
 *
 * Fail closed: in enforce mode a guarded request whose body is missing, truncated, not base64,
 * not UTF-8 or not the JSON its endpoint takes is refused, as is a rule that errors. Everything
 * that is not a guarded request is allowed without a look at its body.
 */
import type { Config } from '../engine/config.js';
import type { Finding } from '../engine/report.js';
import { evaluateRules } from '../engine/run.js';
import { escapeControl } from '../escape.js';
import { SEVERITIES, type AnyRule, type Severity } from '../rules/types.js';
import { SNAPSHOT_SCHEMA_VERSION, type ApiDocument, type ContainerFacts, type DaemonFacts, type Snapshot, type Unavailable } from '../snapshot/types.js';
import { VERSION } from '../version.js';
import { containerFromCreateBody, containerFromPluginPrivileges, containerFromUpdateBody, execOf, serviceFromSpecBody } from './bodies.js';
import { classifyRequest, type GuardedKind } from './endpoints.js';

export type GuardMode = 'enforce' | 'dry-run';

export interface GuardPolicy {
  mode: GuardMode;
  /** A failing finding at or above this severity refuses the request. */
  denyOn: Severity;
  /** Rule settings, severities and ignores, as `audit` uses them. */
  config: Config;
  /** The container rules (`loadRules(['container'])`). */
  rules: AnyRule[];
  /** The daemon's facts, when the guard read them; rules that need them skip otherwise. */
  daemon?: DaemonFacts;
  now?: () => Date;
}

/** The answer of `/AuthZPlugin.AuthZReq`, as dockerd reads it. */
export interface AuthzAnswer {
  Allow: boolean;
  Msg: string;
  Err: string;
}

/** One line of the decision log. Never the body: it may hold environment values and secrets. */
export interface DecisionRecord {
  at: string;
  mode: GuardMode;
  /** `would-refuse`: refused by the rules, allowed because the mode is dry-run. */
  verdict: 'allow' | 'refuse' | 'would-refuse';
  kind: GuardedKind | 'unreadable';
  method: string;
  path: string;
  name: string;
  user: string;
  /** Rule ids of the findings that refuse (or would refuse) the request. */
  rules: string[];
  reasons: string[];
}

export interface GuardDecision {
  answer: AuthzAnswer;
  /** Undefined for requests that pass untouched. */
  record?: DecisionRecord;
}

const SEVERITY_RANK = Object.fromEntries(SEVERITIES.map((severity, index) => [severity, index])) as Record<Severity, number>;

/** Rules that judge what an update body can set: resources, devices and the restart policy. */
const UPDATE_RULES = new Set(['DA511', 'DA512', 'DA515', 'DA518', 'DA519', 'DA529', 'DA551', 'DA552', 'DA553']);
/** Rules that judge what a plugin's privileges grant. */
const PLUGIN_RULES = new Set(['DA504', 'DA506', 'DA510', 'DA516', 'DA518', 'DA532']);

/** At most this many findings are named in a refusal; the log keeps them all. */
const MAX_REASONS_IN_MESSAGE = 8;

/** The request body could not be used: refused in enforce mode. */
class BodyProblem extends Error {}

/**
 * A field of the AuthZ request. dockerd spells some differently from its Go names (the URI is
 * `RequestUri`) and Go plugins read JSON keys without case, so this one does too.
 */
function field(request: ApiDocument, name: string): unknown {
  if (name in request) return request[name];
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(request)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

function header(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name && typeof value === 'string') return value;
  return undefined;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The JSON body dockerd forwarded, or a BodyProblem saying why there is none to judge. */
function bodyOf(request: ApiDocument): unknown {
  const encoded = field(request, 'RequestBody');
  if (encoded === undefined || encoded === null || encoded === '') {
    throw new BodyProblem('the plugin did not receive the request body (missing, or over the 1 MiB dockerd forwards)');
  }
  if (typeof encoded !== 'string' || !BASE64.test(encoded)) throw new BodyProblem('the request body is not base64');
  const bytes = Buffer.from(encoded, 'base64');
  const declared = header(field(request, 'RequestHeaders'), 'content-length');
  if (declared !== undefined && declared.trim() !== String(bytes.length)) {
    throw new BodyProblem(`the request body received (${bytes.length} bytes) is not the ${declared.trim().slice(0, 20)} bytes the request declares`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BodyProblem('the request body is not UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyProblem('the request body is not valid JSON');
  }
}

function unavailable(reason: string): Unavailable {
  return { unavailable: true, reason };
}

/** The snapshot the rules see: the requested container or service alone. */
function snapshotOf(policy: GuardPolicy, containers: ContainerFacts[], services: ApiDocument[]): Snapshot {
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    tool: { name: 'dockaudit', version: VERSION },
    collectedAt: (policy.now?.() ?? new Date()).toISOString(),
    target: { dockerHost: 'guard' },
    daemon: policy.daemon ?? unavailable('the guard judges a request without the daemon facts'),
    containers,
    images: unavailable('the guard judges a request, not the images'),
    networks: unavailable('the guard judges a request, not the networks'),
    volumes: unavailable('the guard judges a request, not the volumes'),
    swarm: services.length > 0 ? { nodes: [], services } : unavailable('not a service request'),
    host: { hostname: '', daemonIsLocal: true },
    problems: [],
  };
}

/** Findings about the requested workload that refuse it under the policy, the worst first. */
function refusingFindings(findings: Finding[], policy: GuardPolicy, subjectKind: string, needDaemon: ReadonlySet<string> = new Set()): Finding[] {
  return findings.filter(
    (finding) =>
      !finding.suppressed &&
      SEVERITY_RANK[finding.severity] <= SEVERITY_RANK[policy.denyOn] &&
      // A rule that failed to judge the request refuses it as a failure would: fail closed.
      ((finding.subject.kind === subjectKind && (finding.status === 'fail' || finding.status === 'error')) ||
        // So does a rule that needs the daemon's facts while the guard could not read them.
        (finding.status === 'skipped' && needDaemon.has(finding.ruleId))),
  )
    // The worst first, so the message leads with what matters most; stable within a severity.
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}

interface Judgement {
  refusing: { ruleId: string; message: string }[];
}

function judgeWorkload(policy: GuardPolicy, kind: GuardedKind, name: string, body: unknown): Judgement {
  let containers: ContainerFacts[] = [];
  let services: ApiDocument[] = [];
  let only: Set<string> | undefined;
  let subjectKind = 'container';
  switch (kind) {
    case 'container-create':
      containers = [containerFromCreateBody(body, name)];
      break;
    case 'container-update':
      containers = [containerFromUpdateBody(body, name)];
      only = UPDATE_RULES;
      break;
    case 'plugin-install':
      containers = [containerFromPluginPrivileges(body, name)];
      only = PLUGIN_RULES;
      break;
    case 'service-create':
    case 'service-update':
      services = [serviceFromSpecBody(body, name)];
      subjectKind = 'service';
      break;
    case 'exec-create':
      return judgeExec(policy, name, body);
  }
  const rules = only ? policy.rules.filter((rule) => only.has(rule.meta.id)) : policy.rules;
  const { findings } = evaluateRules(snapshotOf(policy, containers, services), rules, policy.config, { toolVersion: VERSION });
  const needDaemon = policy.daemon === undefined ? new Set(rules.filter((rule) => rule.meta.needs.some((need) => need === 'daemon' || need === 'daemonConfig')).map((rule) => rule.meta.id)) : undefined;
  return { refusing: refusingFindings(findings, policy, subjectKind, needDaemon).map(({ ruleId, message, status }) => ({ ruleId, message: status === 'skipped' ? `not judged without the daemon's facts (${message})` : message })) };
}

/**
 * An exec asks for a process, not a workload: DA523 (privileged exec) and DA524 (exec as root)
 * judge it directly, with their severities and the config's settings and ignores.
 */
function judgeExec(policy: GuardPolicy, container: string, body: unknown): Judgement {
  const exec = execOf(body);
  const asked: { ruleId: string; message: string }[] = [];
  if (exec.privileged) asked.push({ ruleId: 'DA523', message: 'exec runs a privileged process' });
  if (exec.user === 'root' || exec.user === '0' || /^(root|0):/.test(exec.user)) asked.push({ ruleId: 'DA524', message: 'exec runs as root' });
  const refusing = asked.filter(({ ruleId }) => {
    const rule = policy.rules.find((candidate) => candidate.meta.id === ruleId);
    if (rule === undefined) return false;
    const setting = policy.config.rules[ruleId] ?? policy.config.rules[rule.meta.alias];
    if (setting === 'off' || (typeof setting === 'object' && setting.enabled === false)) return false;
    const severity = (typeof setting === 'object' ? setting.severity : undefined) ?? rule.meta.severity;
    const ignored = policy.config.ignore.some(
      (entry) =>
        (entry.rule === '*' || entry.rule === ruleId || entry.rule === rule.meta.alias) &&
        entry.path === undefined &&
        (entry.subject === undefined || entry.subject === container || (entry.subject.endsWith('*') && container.startsWith(entry.subject.slice(0, -1)))),
    );
    return !ignored && SEVERITY_RANK[severity] <= SEVERITY_RANK[policy.denyOn];
  });
  return { refusing };
}

function messageOf(refusing: { ruleId: string; message: string }[]): string {
  const named = refusing.slice(0, MAX_REASONS_IN_MESSAGE).map(({ ruleId, message }) => `${ruleId} ${message}`);
  const more = refusing.length - named.length;
  return escapeControl(`${named.join('; ')}${more > 0 ? `; and ${more} more` : ''}`);
}

function pathOf(uri: string): string {
  const cut = uri.search(/[?#]/);
  return escapeControl((cut === -1 ? uri : uri.slice(0, cut)).slice(0, 512));
}

/** Refused in enforce mode, allowed and logged in dry-run. */
function refusal(policy: GuardPolicy, base: Omit<DecisionRecord, 'verdict' | 'at' | 'mode'>, message: string): GuardDecision {
  const enforce = policy.mode === 'enforce';
  const record: DecisionRecord = { at: (policy.now?.() ?? new Date()).toISOString(), mode: policy.mode, verdict: enforce ? 'refuse' : 'would-refuse', ...base };
  return { answer: enforce ? { Allow: false, Msg: `dockaudit guard: ${message}`, Err: '' } : { Allow: true, Msg: '', Err: '' }, record };
}

/**
 * The plugin could not read the AuthZ request itself (too large, too slow, not JSON): it cannot
 * tell whether the request is guarded, so enforce mode refuses it.
 */
export function decideUnreadable(policy: GuardPolicy, reason: string): GuardDecision {
  return refusal(policy, { kind: 'unreadable', method: '', path: '', name: '', user: '', rules: [], reasons: [reason] }, `the authorization request could not be read: ${reason}`);
}

/** Decides one `/AuthZPlugin.AuthZReq` request (its parsed JSON). */
export function decideRequest(policy: GuardPolicy, request: unknown): GuardDecision {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) return decideUnreadable(policy, 'the authorization request is not a JSON object');
  const document = request as ApiDocument;
  const methodField = field(document, 'RequestMethod');
  const uriField = field(document, 'RequestUri');
  const method = typeof methodField === 'string' ? methodField : '';
  const uri = typeof uriField === 'string' ? uriField : '';
  if (method === '' || uri === '') return decideUnreadable(policy, 'the authorization request names no method or URI');
  const endpoint = classifyRequest(method, uri);
  if (endpoint.kind === 'untouched') return { answer: { Allow: true, Msg: '', Err: '' } };
  const userField = field(document, 'User');
  const user = typeof userField === 'string' ? escapeControl(userField.slice(0, 256)) : '';
  if (endpoint.kind === 'unreadable') {
    return refusal(policy, { kind: 'unreadable', method, path: pathOf(uri), name: '', user, rules: [], reasons: [endpoint.reason] }, endpoint.reason);
  }
  const base = { kind: endpoint.kind, method: method.toUpperCase(), path: pathOf(uri), name: escapeControl(endpoint.name.slice(0, 256)), user };
  let judgement: Judgement;
  try {
    judgement = judgeWorkload(policy, endpoint.kind, endpoint.name, bodyOf(document));
  } catch (error) {
    const reason = error instanceof BodyProblem || error instanceof TypeError ? error.message : `the request could not be judged: ${String(error)}`;
    return refusal(policy, { ...base, rules: [], reasons: [reason] }, reason);
  }
  if (judgement.refusing.length === 0) {
    return { answer: { Allow: true, Msg: '', Err: '' }, record: { at: (policy.now?.() ?? new Date()).toISOString(), mode: policy.mode, verdict: 'allow', ...base, rules: [], reasons: [] } };
  }
  const reasons = judgement.refusing.map(({ ruleId, message }) => escapeControl(`${ruleId} ${message}`));
  return refusal(policy, { ...base, rules: [...new Set(judgement.refusing.map(({ ruleId }) => ruleId))], reasons }, messageOf(judgement.refusing));
}

