/**
 * Collects everything the Engine API tells about the daemon, its containers, images,
 * networks, volumes and swarm, concurrently through a bounded pool.
 */
import type { EngineClient as Docker } from './docker-api.js';
import pLimit from 'p-limit';
import { describeError } from '../errors.js';
import {
  isUnavailable,
  type ApiDocument,
  type CollectionProblem,
  type ContainerFacts,
  type DaemonFacts,
  type ImageFacts,
  type ProcessEntry,
  type Snapshot,
  type SwarmFacts,
  type Unavailable,
} from '../snapshot/types.js';
import { obj, str } from '../snapshot/api-document.js';
import type { RunningContainer } from './processes.js';
import { containerSelected, selectsContainers, type ContainerSelection } from '../snapshot/container-selection.js';

export interface Progress {
  (stage: string, done: number, total: number): void;
}

export interface DockerCollection {
  daemon: DaemonFacts | Unavailable;
  containers: Snapshot['containers'];
  images: Snapshot['images'];
  networks: Snapshot['networks'];
  volumes: Snapshot['volumes'];
  swarm: Snapshot['swarm'];
  problems: CollectionProblem[];
}

function statusCode(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown }).statusCode;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Why a subject could not be read when that leaves nothing unaudited: it went away while the
 * audit ran (404), or stopped before its processes were listed (409). Undefined for failures.
 */
function goneReason(error: unknown): string | undefined {
  const status = statusCode(error);
  if (status === 404) return 'removed while the audit ran';
  if (status === 409) return 'stopped while the audit ran';
  return undefined;
}

function containerName(summary: { Id: string; Names?: string[] }): string {
  return summary.Names?.[0]?.replace(/^\//, '') ?? summary.Id.slice(0, 12);
}

function imageName(summary: { Id: string; RepoTags?: string[] | null }): string {
  return summary.RepoTags?.[0] ?? summary.Id;
}

/** Maps `docker top` output (titles + rows) to process entries, whatever ps columns the daemon used. */
export function processesFromTop(top: { Titles?: string[]; Processes?: string[][] }): ProcessEntry[] {
  const titles = top.Titles ?? [];
  const column = (...names: string[]): number => titles.findIndex((title) => names.includes(title.toUpperCase()));
  const userColumn = column('UID', 'USER');
  const pidColumn = column('PID');
  const commandColumn = column('CMD', 'COMMAND', 'ARGS');
  return (top.Processes ?? []).map((row) => ({
    user: userColumn === -1 ? '' : (row[userColumn] ?? ''),
    pid: pidColumn === -1 ? '' : (row[pidColumn] ?? ''),
    command: commandColumn === -1 ? row.join(' ') : (row[commandColumn] ?? ''),
  }));
}

export async function collectSwarm(client: Docker, info: ApiDocument): Promise<SwarmFacts | Unavailable> {
  const swarmInfo = obj(info, 'Swarm');
  const state = str(swarmInfo, 'LocalNodeState');
  if (state !== 'active') return { unavailable: true, reason: `swarm mode is ${state || 'not active'} on this daemon` };
  if (swarmInfo?.['ControlAvailable'] !== true) {
    return { unavailable: true, reason: 'this node is a swarm worker; swarm state is only readable on a manager' };
  }
  const [cluster, nodes, services] = await Promise.all([
    client.swarmInspect() as Promise<ApiDocument>,
    client.listNodes() as Promise<ApiDocument[]>,
    client.listServices() as unknown as Promise<ApiDocument[]>,
  ]);
  // The join tokens let any machine join the swarm, as a manager even: a snapshot written to
  // disk or sent elsewhere must not carry them, and no rule needs them.
  const { JoinTokens: _joinTokens, ...swarm } = cluster;
  return { swarm, nodes, services };
}

/** Asks the daemon everything; an unreachable daemon yields Unavailable sections, never a throw. */
export async function collectDocker(
  client: Docker,
  address: string,
  options: {
    concurrency: number;
    progress?: Progress;
    /** The deadline of the whole collection, which the client's requests also obey: what it cut off is counted, not listed one by one. */
    deadline?: AbortSignal;
    /**
     * Reads the processes of running containers without the API, all in one go (see
     * processes.ts); the containers it leaves out are listed with `top`, or reported unread
     * when `apiFallback` is false.
     */
    localProcesses?: (containers: RunningContainer[]) => Promise<Map<string, ProcessEntry[]>>;
    apiFallback?: boolean;
    /** The containers to read; the others are neither inspected nor asked for their processes. */
    containers?: ContainerSelection;
    /**
     * Told the daemon's facts as soon as its version and info are read, long before the
     * containers and images are: the host reads that need them go on meanwhile.
     */
    onDaemon?: (daemon: DaemonFacts | Unavailable) => void;
  },
): Promise<DockerCollection> {
  const problems: CollectionProblem[] = [];
  // Subjects left unread once the deadline passed, by what was not done to them.
  const cutOff = new Map<string, { scope: CollectionProblem['scope']; what: string; count: number }>();
  /** Records a subject that could not be read: a note when it went away, else a problem that leaves it unaudited. */
  const unread = (scope: CollectionProblem['scope'], subject: string, error: unknown, what: string): void => {
    const gone = goneReason(error);
    if (gone) return void problems.push({ scope, subject, reason: gone });
    if (!options.deadline?.aborted) return void problems.push({ scope, subject, reason: `${what}: ${describeError(error)}`, unaudited: true });
    const key = `${scope} ${what}`;
    const entry = cutOff.get(key) ?? { scope, what, count: 0 };
    entry.count += 1;
    cutOff.set(key, entry);
  };
  try {
    await client.ping();
  } catch (error) {
    const reason = `cannot reach the Docker daemon at ${address}: ${describeError(error)}`;
    const unavailable: Unavailable = { unavailable: true, reason };
    problems.push({ scope: 'daemon', reason, unaudited: true });
    return { daemon: unavailable, containers: unavailable, images: unavailable, networks: unavailable, volumes: unavailable, swarm: unavailable, problems };
  }

  const limit = pLimit(options.concurrency);
  const section = async <T>(scope: CollectionProblem['scope'], read: () => Promise<T>): Promise<T | Unavailable> => {
    try {
      return await read();
    } catch (error) {
      const reason = `could not read ${scope} data: ${describeError(error)}`;
      problems.push({ scope, reason, unaudited: true });
      return { unavailable: true, reason };
    }
  };

  const [version, info, containerList, imageList, networks, volumes] = await Promise.all([
    section('daemon', () => client.version() as unknown as Promise<ApiDocument>),
    section('daemon', () => client.info() as Promise<ApiDocument>),
    section('container', () => client.listContainers({ all: true })),
    section('image', () => client.listImages({ all: false })),
    section('network', () => client.listNetworks() as unknown as Promise<ApiDocument[]>),
    section('volume', async () => ((await client.listVolumes()).Volumes ?? []) as unknown as ApiDocument[]),
  ]);

  const daemon: DaemonFacts | Unavailable = isUnavailable(version)
    ? version
    : isUnavailable(info)
      ? info
      : { version, info, config: { unavailable: true, reason: 'not collected' } };
  options.onDaemon?.(daemon);

  /** Lists the processes of one running container with `top`, the daemon running `ps` for it. */
  const listWithTop = (summary: { Id: string; Names?: string[] }, facts: ContainerFacts): Promise<void> =>
    limit(async () => {
      try {
        facts.processes = processesFromTop((await client.getContainer(summary.Id).top()) as { Titles?: string[]; Processes?: string[][] });
      } catch (error) {
        facts.processes = { unavailable: true, reason: `could not list processes: ${describeError(error)}` };
        unread('container', containerName(summary), error, 'processes not listed');
      }
    });

  /** Whether a container is gone, stopped, restarting or restarted (another init) since it was inspected running with `pid`. */
  const stoppedSince = (id: string, pid: number): Promise<boolean> =>
    limit(async () => {
      if (options.deadline?.aborted) return false;
      try {
        const state = obj((await client.getContainer(id).inspect()) as unknown as ApiDocument, 'State');
        // A restarting container stays `Running` with no process (Pid 0) while it waits: top answers 409 then.
        return state?.['Running'] !== true || state['Restarting'] === true || state['Pid'] !== pid || pid <= 0;
      } catch (error) {
        return statusCode(error) === 404;
      }
    });

  /** The processes of the running containers: from /proc in one pass where it shows them, else one `top` each. */
  const readProcesses = async (running: { summary: { Id: string; Names?: string[] }; facts: ContainerFacts; pid: number }[]): Promise<void> => {
    let local = new Map<string, ProcessEntry[]>();
    if (options.localProcesses && running.length > 0) {
      try {
        local = await options.localProcesses(running.map(({ summary, pid }) => ({ id: summary.Id, pid })));
      } catch (error) {
        // Past the deadline the pass stops; what it did not read is counted below with the rest.
        if (!options.deadline?.aborted) problems.push({ scope: 'container', reason: `processes not read from /proc: ${describeError(error)}` });
      }
    }
    const fallback = options.localProcesses === undefined || options.apiFallback !== false;
    await Promise.all(
      running.map(async ({ summary, facts, pid }) => {
        const processes = local.get(summary.Id);
        if (processes !== undefined) facts.processes = processes;
        else if (fallback) await listWithTop(summary, facts);
        else if (await stoppedSince(summary.Id, pid)) {
          // Its init process went away (a restart loop, a stop) between the inspect and the pass: as a 409 from top.
          facts.processes = { unavailable: true, reason: 'could not list processes: stopped while the audit ran' };
          problems.push({ scope: 'container', subject: containerName(summary), reason: 'stopped while the audit ran' });
        } else {
          const error = options.deadline?.aborted ? options.deadline.reason : new Error('its processes are not visible in /proc here');
          facts.processes = { unavailable: true, reason: `could not list processes: ${describeError(error)}` };
          unread('container', containerName(summary), error, 'processes not listed');
        }
      }),
    );
  };

  const readContainers = async (): Promise<Snapshot['containers']> => {
    if (isUnavailable(containerList)) return containerList;
    if (selectsContainers(options.containers)) {
      const selection = options.containers;
      // The list's summary has the names and labels already: what is left out costs no request.
      containerList.splice(0, containerList.length, ...containerList.filter((summary) => containerSelected(selection, containerName(summary), summary.Id, summary.Labels ?? {})));
    }
    let done = 0;
    const running: { summary: { Id: string; Names?: string[] }; facts: ContainerFacts; pid: number }[] = [];
    const inspected = await Promise.all(
      containerList.map((summary) =>
        limit(async (): Promise<ContainerFacts | undefined> => {
          try {
            const inspect = (await client.getContainer(summary.Id).inspect()) as unknown as ApiDocument;
            const facts: ContainerFacts = { inspect };
            const state = obj(inspect, 'State');
            if (state?.['Running'] === true) running.push({ summary, facts, pid: typeof state['Pid'] === 'number' ? state['Pid'] : 0 });
            return facts;
          } catch (error) {
            unread('container', containerName(summary), error, 'not inspected');
            return undefined;
          } finally {
            done += 1;
            options.progress?.('containers', done, containerList.length);
          }
        }),
      ),
    );
    await readProcesses(running);
    return inspected.filter((facts): facts is ContainerFacts => facts !== undefined);
  };

  const readImages = async (): Promise<Snapshot['images']> => {
    if (isUnavailable(imageList)) return imageList;
    let done = 0;
    const inspected = await Promise.all(
      imageList.map((summary) =>
        limit(async (): Promise<ImageFacts | undefined> => {
          const handle = client.getImage(summary.Id);
          let historyError: unknown;
          try {
            const [inspect, history] = await Promise.all([
              handle.inspect() as unknown as Promise<ApiDocument>,
              (handle.history() as Promise<ApiDocument[]>).catch((error: unknown): Unavailable => {
                historyError = error;
                return { unavailable: true, reason: `could not read history: ${describeError(error)}` };
              }),
            ]);
            if (historyError !== undefined) unread('image', imageName(summary), historyError, 'history not read');
            return { inspect, history };
          } catch (error) {
            unread('image', imageName(summary), error, 'not inspected');
            return undefined;
          } finally {
            done += 1;
            options.progress?.('images', done, imageList.length);
          }
        }),
      ),
    );
    return inspected.filter((facts): facts is ImageFacts => facts !== undefined);
  };

  // Containers, images and swarm share the pool and go out together: none waits for another.
  // The few images queue first, so their history is not left for the end of a long container list.
  const [images, containers, swarm] = await Promise.all([
    readImages(),
    readContainers(),
    isUnavailable(info) ? info : section('swarm', () => collectSwarm(client, info)),
  ]);
  for (const { scope, what, count } of cutOff.values()) {
    problems.push({ scope, reason: `${count} ${scope}${count === 1 ? '' : 's'} ${what}: ${describeError(options.deadline?.reason)}`, unaudited: true });
  }
  return { daemon, containers, images, networks, volumes, swarm, problems };
}
