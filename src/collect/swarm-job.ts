/**
 * `audit --swarm`: the I/O against a Swarm manager. It checks that the daemon is a manager,
 * lists the nodes, runs the dockaudit image once on every node as a one-shot global job (a
 * global service with no restarts on engines older than API 1.41), reads each node's report
 * back from its task's logs (see swarm-frames.ts: no port is opened), and removes the job,
 * whatever happened.
 */
import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import { CollectionError, describeError } from '../errors.js';
import { obj, str } from '../snapshot/api-document.js';
import type { ApiDocument } from '../snapshot/types.js';
import type { EngineClient } from './docker-api.js';
import { formatSeconds } from './docker-api.js';
import { createClient, resolveEndpoint } from './endpoint.js';
import { lastLine, unframeReport } from './swarm-frames.js';
import { sleep } from './sleep.js';

/** A node of the swarm, as the manager describes it. */
export interface SwarmNode {
  id: string;
  hostname: string;
  role: 'manager' | 'worker';
  /** The node's engine version, as it last reported it. */
  engineVersion?: string;
  /** `ready`, `down`, `disconnected`, `unknown`. */
  state: string;
  /** `active`, `pause` or `drain`. */
  availability: string;
  /** The address the node is reached at in the swarm. */
  address?: string;
}

/** A node's answer: its report (JSON text), or why there is none. */
export type NodeResult = { node: SwarmNode; report: string } | { node: SwarmNode; reason: string };

export interface SwarmJobOptions {
  /** The manager's address (`--host`), else DOCKER_HOST from `env`, else the local socket. */
  host?: string;
  env: NodeJS.ProcessEnv;
  /** The dockaudit image every node runs; it must be on every node already. */
  image: string;
  /** Milliseconds from the job's creation until every node must have answered. */
  timeoutMs: number;
  /**
   * The Docker socket's path on the nodes, mounted into each task. Swarm's templates apply
   * (`{{.Node.ID}}`, `{{.Node.Hostname}}`), for nodes whose sockets differ.
   */
  socket: string;
  /** Arguments after `audit --swarm-node RUN --host-root /host` on every node. */
  nodeArgs: string[];
  /** Environment of the node runs (NAME=value). */
  nodeEnv: string[];
  requestTimeoutMs?: number;
  maxResponseBytes?: number;
  signal?: AbortSignal;
  /** Called once the job exists, with how to remove it; the returned function is called when it is removed. */
  onCreated?: (remove: () => Promise<void>) => () => void;
  /** Nodes that have answered, of all. */
  progress?: (done: number, total: number) => void;
}

/** The manager and its swarm, once it is known to be one. */
export interface SwarmCluster {
  /** The manager's address, for the report. */
  address: string;
  clusterId: string;
  /** The manager's engine version and API version. */
  engineVersion: string;
  apiVersion: string;
  /** Whether the engine runs one-shot jobs (API 1.41 and later). */
  jobs: boolean;
  nodes: SwarmNode[];
  /** The name of the job's service: its task containers are named after it. */
  serviceName: string;
}

/** Task states after which a task does nothing more. */
const FINAL_TASK_STATES = new Set(['complete', 'failed', 'rejected', 'shutdown', 'orphaned', 'remove']);

/** How often the tasks are listed while the job runs. */
const POLL_MS = 1_000;

/** The least time given to read a node's logs once its task has ended, even near the deadline. */
const LOGS_GRACE_MS = 10_000;

/** `1.41` → [1, 41], compared as numbers. */
function atLeast(version: string, wanted: [number, number]): boolean {
  const [major, minor] = version.split('.').map(Number);
  if (major === undefined || minor === undefined || !Number.isFinite(major) || !Number.isFinite(minor)) return false;
  return major > wanted[0] || (major === wanted[0] && minor >= wanted[1]);
}

function nodeOf(document: ApiDocument): SwarmNode {
  const description = obj(document, 'Description');
  const status = obj(document, 'Status');
  const spec = obj(document, 'Spec');
  const engineVersion = str(obj(description, 'Engine'), 'EngineVersion');
  const address = str(status, 'Addr');
  return {
    id: str(document, 'ID') ?? '',
    hostname: str(description, 'Hostname') ?? '',
    role: str(spec, 'Role') === 'manager' ? 'manager' : 'worker',
    ...(engineVersion ? { engineVersion } : {}),
    state: str(status, 'State') ?? 'unknown',
    availability: str(spec, 'Availability') ?? 'active',
    ...(address ? { address } : {}),
  };
}

/** Why a node gets no task at all, or nothing when it should get one. */
function notScheduled(node: SwarmNode): string | undefined {
  if (node.state !== 'ready') return `the node is ${node.state}: no task can run on it`;
  if (node.availability !== 'active') return `the node's availability is ${node.availability}: no task runs on it`;
  return undefined;
}

interface Task {
  id: string;
  nodeId: string;
  state: string;
  error?: string;
  exitCode?: number;
  updatedAt: string;
}

function taskOf(document: ApiDocument): Task {
  const status = obj(document, 'Status');
  const container = obj(status, 'ContainerStatus');
  const exitCode = container?.['ExitCode'];
  const error = str(status, 'Err');
  return {
    id: str(document, 'ID') ?? '',
    nodeId: str(document, 'NodeID') ?? '',
    state: str(status, 'State') ?? 'unknown',
    ...(error ? { error } : {}),
    ...(typeof exitCode === 'number' ? { exitCode } : {}),
    updatedAt: str(document, 'UpdatedAt') ?? '',
  };
}

/** The newest task of each node. */
function latestTasks(tasks: Task[]): Map<string, Task> {
  const latest = new Map<string, Task>();
  for (const task of tasks) {
    const known = latest.get(task.nodeId);
    if (!known || task.updatedAt > known.updatedAt) latest.set(task.nodeId, task);
  }
  return latest;
}

/** The one line a node's failed task gives, in the words a user acts on. */
function taskFailure(task: Task, image: string, stderr: string): string {
  const error = task.error ?? '';
  if (/no such image|pull access denied|manifest unknown|not found/i.test(error)) {
    return `the image ${image} is not on this node (${error}): load it there, e.g. docker save ${image} | docker -H NODE load`;
  }
  const last = lastLine(stderr, 300);
  const exit = task.exitCode !== undefined ? `, exit ${task.exitCode}` : '';
  return `its audit task ended ${task.state}${exit}${error ? `: ${error}` : ''}${last ? ` (${last})` : ''}`;
}

/**
 * Checks that the daemon is a Swarm manager and lists its nodes. Not a manager, or not in a
 * swarm, is a CollectionError with one line saying so.
 */
export async function openSwarm(options: SwarmJobOptions): Promise<SwarmCluster & { run(): Promise<NodeResult[]> }> {
  const endpoint = resolveEndpoint(options.host, options.env);
  const client = createClient(endpoint, {
    ...(options.maxResponseBytes !== undefined ? { maxResponseBytes: options.maxResponseBytes } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeout: options.requestTimeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    let info: ApiDocument;
    let version: ApiDocument;
    try {
      [info, version] = (await Promise.all([client.info(), client.version()])) as [ApiDocument, ApiDocument];
    } catch (error) {
      throw new CollectionError(`--swarm: cannot reach the manager at ${endpoint.address}: ${describeError(error)}`);
    }
    const swarm = obj(info, 'Swarm');
    const state = str(swarm, 'LocalNodeState') || 'inactive';
    if (state !== 'active') throw new CollectionError(`--swarm needs a Swarm manager: the daemon at ${endpoint.address} is not in a swarm (swarm state: ${state})`);
    if (swarm?.['ControlAvailable'] !== true) throw new CollectionError(`--swarm needs a Swarm manager: the daemon at ${endpoint.address} is a worker node; run it against a manager`);
    const apiVersion = str(version, 'ApiVersion') ?? '';
    const nodes = ((await client.listNodes()) as ApiDocument[]).map(nodeOf).sort((a, b) => a.hostname.localeCompare(b.hostname) || a.id.localeCompare(b.id));
    const run = randomBytes(8).toString('hex');
    const cluster: SwarmCluster = {
      address: endpoint.address,
      clusterId: str(obj(swarm, 'Cluster'), 'ID') ?? '',
      engineVersion: str(version, 'Version') ?? '',
      apiVersion,
      jobs: atLeast(apiVersion, [1, 41]),
      nodes,
      serviceName: `dockaudit-audit-${run}`,
    };
    // Removing the job must work after the run was stopped: its client has no signal.
    const remover = (): EngineClient =>
      createClient(endpoint, {
        ...(options.maxResponseBytes !== undefined ? { maxResponseBytes: options.maxResponseBytes } : {}),
        ...(options.requestTimeoutMs !== undefined ? { requestTimeout: options.requestTimeoutMs } : {}),
      });
    return { ...cluster, run: () => runJob(client, remover, cluster, run, options).finally(() => client.close()) };
  } catch (error) {
    client.close();
    throw error;
  }
}

/** The only capability a node's audit task keeps (on API 1.41 and later, where a task takes them). */
export const NODE_CAPABILITIES: readonly string[] = ['CAP_DAC_READ_SEARCH'];

function serviceSpec(cluster: SwarmCluster, run: string, options: SwarmJobOptions): ApiDocument {
  const labels = { 'dockaudit.swarm-run': run };
  return {
    Name: cluster.serviceName,
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: options.image,
        Labels: labels,
        Args: ['audit', '--swarm-node', run, '--host-root', '/host', ...options.nodeArgs],
        Env: options.nodeEnv,
        // The node's filesystem (its /proc with it) and its Docker socket, read-only.
        Mounts: [
          { Type: 'bind', Source: '/', Target: '/host', ReadOnly: true },
          { Type: 'bind', Source: options.socket, Target: '/var/run/docker.sock', ReadOnly: true },
          // The container's own filesystem is read-only; scratch space is memory.
          { Type: 'tmpfs', Target: '/tmp', TmpfsOptions: { SizeBytes: 64 * 1024 * 1024 } },
        ],
        ReadOnly: true,
        // Engines that take capabilities in a task (API 1.41 and later) give it one: reading
        // root-only files under /host (daemon.json, keys, audit rules, /var/lib/docker). /proc's
        // comm, cmdline and status need none, and nothing is written or traced.
        ...(cluster.jobs ? { CapabilityDrop: ['ALL'], CapabilityAdd: [...NODE_CAPABILITIES] } : {}),
      },
      // Once per node: a failed audit is reported, not retried.
      RestartPolicy: { Condition: 'none', MaxAttempts: 0 },
      // The report comes back through the logs: a driver the daemon can read them from.
      LogDriver: { Name: 'json-file', Options: {} },
    },
    Mode: cluster.jobs ? { GlobalJob: {} } : { Global: {} },
  };
}

async function runJob(client: EngineClient, remover: () => EngineClient, cluster: SwarmCluster, run: string, options: SwarmJobOptions): Promise<NodeResult[]> {
  const results = new Map<string, NodeResult>();
  const expected = cluster.nodes.filter((node) => {
    const reason = notScheduled(node);
    if (reason !== undefined) results.set(node.id, { node, reason });
    return reason === undefined;
  });
  const deadline = Date.now() + options.timeoutMs;
  let created: { ID: string };
  try {
    created = await client.createService(serviceSpec(cluster, run, options));
  } catch (error) {
    // No answer (a deadline, a cut connection, a stop): the manager may have made the job all the
    // same, so it is removed by its name, which is this run's own. An answer (a name already
    // taken, a refusal) means nothing of ours exists, and nothing is removed.
    const left = (error as { statusCode?: number }).statusCode === undefined ? await removeUnanswered(remover, cluster.serviceName) : '';
    throw new CollectionError(`--swarm: cannot create the audit job on ${cluster.address}: ${describeError(error)}${left}`);
  }
  let removed: Promise<void> | undefined;
  const remove = (): Promise<void> => {
    if (removed === undefined) {
      const removing = remover();
      removed = removing
        .removeService(created.ID)
        .then(
          () => undefined,
          (error: unknown) => {
            // Already gone is what was wanted.
            if ((error as { statusCode?: number }).statusCode !== 404) throw error;
          },
        )
        .finally(() => removing.close());
    }
    return removed;
  };
  const forget = options.onCreated?.(remove);
  try {
    let latest = new Map<string, Task>();
    const total = cluster.nodes.length;
    while (true) {
      latest = latestTasks(((await client.listServiceTasks(created.ID)) as ApiDocument[]).map(taskOf));
      const done = expected.filter((node) => FINAL_TASK_STATES.has(latest.get(node.id)?.state ?? '')).length;
      options.progress?.(done + (total - expected.length), total);
      if (done === expected.length || Date.now() >= deadline || options.signal?.aborted) break;
      await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())), options.signal);
    }
    options.signal?.throwIfAborted();
    // One end for reading every node's logs: the deadline, or a grace period after the tasks
    // ended when they ended near it; nodes that hold their logs open cannot stretch it round by round.
    const logsDeadline = Math.max(deadline, Date.now() + LOGS_GRACE_MS);
    const limit = pLimit(8);
    await Promise.all(
      expected.map((node) =>
        limit(async () => {
          const task = latest.get(node.id);
          if (task === undefined) {
            results.set(node.id, { node, reason: `no audit task started on this node within ${formatSeconds(options.timeoutMs)}` });
            return;
          }
          if (!FINAL_TASK_STATES.has(task.state)) {
            results.set(node.id, { node, reason: `the node did not answer within ${formatSeconds(options.timeoutMs)} (its audit task is ${task.state})` });
            return;
          }
          const left = logsDeadline - Date.now();
          if (left <= 0) {
            results.set(node.id, { node, reason: `its report could not be read from the task's logs: no time was left to read them (other nodes' logs took it)` });
            return;
          }
          results.set(node.id, await nodeReport(client, node, task, run, options, left));
        }),
      ),
    );
  } finally {
    try {
      await remove();
    } finally {
      forget?.();
    }
  }
  return cluster.nodes.map((node) => results.get(node.id) as NodeResult);
}

/**
 * Removes a job whose creation was not answered, by name (not there is what was hoped). Says
 * what is left for the user when it could not.
 */
async function removeUnanswered(remover: () => EngineClient, name: string): Promise<string> {
  const removing = remover();
  try {
    await removing.removeService(name);
    return '';
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return '';
    return ` (the job may have been made and could not be removed: docker service rm ${name})`;
  } finally {
    removing.close();
  }
}

/** The report a node's task wrote to its logs, or why there is none. */
async function nodeReport(client: EngineClient, node: SwarmNode, task: Task, run: string, options: SwarmJobOptions, timeoutMs: number): Promise<NodeResult> {
  let logs: { stdout: Buffer; stderr: Buffer };
  try {
    logs = await client.taskLogs(task.id, timeoutMs);
  } catch (error) {
    return { node, reason: `its report could not be read from the task's logs: ${describeError(error)}` };
  }
  const unframed = unframeReport(logs.stdout.toString('utf8'), run, options.maxResponseBytes ?? 64 * 1024 * 1024);
  if ('report' in unframed) return { node, report: unframed.report };
  if (task.state !== 'complete') return { node, reason: taskFailure(task, options.image, logs.stderr.toString('utf8')) };
  return { node, reason: `its audit task completed but ${unframed.reason}` };
}
