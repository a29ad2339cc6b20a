/**
 * The daemon's event stream, read as it comes, and the one container an event names, read again.
 *
 * `GET /events` answers with one JSON document per line for as long as the daemon runs. Nothing
 * bounds the whole answer (a watch lasts for months), so each line is bounded instead, and the
 * stream has no silence bound: a quiet host rightly sends nothing for hours. A peer that died
 * without closing the connection is found two ways: the client's agent keeps TCP keep-alive on
 * (the kernel ends a connection whose peer stopped answering probes), and the watcher pings the
 * daemon on another connection every heartbeat and starts over when the ping fails.
 */
import type { Readable } from 'node:stream';
import { describeError } from '../errors.js';
import { obj, str } from '../snapshot/api-document.js';
import type { ApiDocument, ContainerFacts, ImageFacts, SwarmFacts, Unavailable } from '../snapshot/types.js';
import { EngineApiError, formatBytes, type EngineClient } from './docker-api.js';
import { collectSwarm, processesFromTop } from './docker.js';

/** The longest event line read: real ones are a few hundred bytes (labels make them longer). */
export const MAX_EVENT_BYTES = 1024 * 1024;

/** What happens to a container that can change what its rules say. */
export const CONTAINER_ACTIONS = ['create', 'start', 'update', 'rename', 'destroy', 'die', 'pause', 'unpause'] as const;

/** Network actions: a network made, removed or changed (its list is read again), a container joined or left (that container). */
export const NETWORK_ACTIONS = ['create', 'destroy', 'remove', 'update', 'connect', 'disconnect'] as const;
/** Image actions that change what the daemon holds under a name or id. */
export const IMAGE_ACTIONS = ['tag', 'untag', 'delete', 'pull', 'load', 'import'] as const;
/** Swarm service and node actions (a manager only sends them). */
export const SWARM_ACTIONS = ['create', 'update', 'remove'] as const;

/** The filter of `GET /events`: the actions above and daemon reloads. */
export const EVENT_FILTERS: Record<string, string[]> = {
  type: ['container', 'daemon', 'network', 'image', 'service', 'node'],
  event: [...new Set<string>([...CONTAINER_ACTIONS, ...NETWORK_ACTIONS, ...IMAGE_ACTIONS, ...SWARM_ACTIONS, 'reload'])],
};

/** One event of the stream, as the watcher needs it. */
export interface EngineEvent {
  /** `container`, `daemon`, … */
  type: string;
  /** `create`, `destroy`, `reload`, … (what follows a colon, as in `exec_create: sh`, is dropped). */
  action: string;
  /** The container's id, or the daemon's. */
  id: string;
  /** When the daemon says it happened, in nanoseconds since the epoch (0 when it did not say). */
  timeNano: bigint;
  /** The actor's attributes that say which other subject it touched: a network event's `container`, an image event's `name`. */
  container?: string;
  name?: string;
}

function eventOf(line: string): EngineEvent {
  let document: ApiDocument;
  try {
    document = JSON.parse(line) as ApiDocument;
  } catch (error) {
    throw new EngineApiError(`GET /events: an event is not JSON (${describeError(error)})`);
  }
  if (typeof document !== 'object' || document === null) throw new EngineApiError('GET /events: an event is not a JSON object');
  const actor = obj(document, 'Actor');
  // Nanoseconds since 1970 are past 2^53: read from the text, not from the parsed number.
  const timeNano = /"timeNano"\s*:\s*(\d{1,20})[,}\s]/.exec(line)?.[1];
  const time = document['time'];
  const attributes = obj(actor, 'Attributes');
  const type = str(document, 'Type');
  // Only where they name another subject: the container a network event joined or left, the image name an image event is about.
  const container = type === 'network' ? str(attributes, 'container') : '';
  const name = type === 'image' ? str(attributes, 'name') : '';
  return {
    type,
    action: (str(document, 'Action').split(':')[0] ?? '').trim(),
    id: str(actor, 'ID'),
    timeNano: timeNano !== undefined ? BigInt(timeNano) : typeof time === 'number' && Number.isSafeInteger(time) ? BigInt(time) * 1_000_000_000n : 0n,
    ...(container !== '' ? { container } : {}),
    ...(name !== '' ? { name } : {}),
  };
}

/**
 * The events of a stream, one per line, until it ends. A line longer than `maxLineBytes` or
 * that is not a JSON object ends the reading with an EngineApiError: the caller starts over
 * rather than guess what it missed. Linear in the bytes read: each byte is looked at once for a
 * newline and once when its line is parsed.
 */
export async function* readEvents(stream: Readable, maxLineBytes = MAX_EVENT_BYTES): AsyncGenerator<EngineEvent> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    let newline = chunk.indexOf(10, start);
    while (newline !== -1) {
      const piece = chunk.subarray(start, newline);
      if (pendingBytes + piece.length > maxLineBytes) throw new EngineApiError(`GET /events: an event is longer than ${formatBytes(maxLineBytes)}`, undefined, 'size');
      const line = (pending.length === 0 ? piece : Buffer.concat([...pending, piece])).toString('utf8').trim();
      pending = [];
      pendingBytes = 0;
      if (line !== '') yield eventOf(line);
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    const rest = chunk.subarray(start);
    pendingBytes += rest.length;
    if (pendingBytes > maxLineBytes) throw new EngineApiError(`GET /events: an event is longer than ${formatBytes(maxLineBytes)}`, undefined, 'size');
    if (rest.length > 0) pending.push(rest);
  }
}

/**
 * Reads one container again as a full collection does: its inspect document, and its processes
 * when it runs (`GET /containers/{id}/top`). Undefined when the daemon no longer knows it; a
 * container that stopped between the two calls keeps its inspect document without processes.
 * Any other failure throws: the caller does not know what the container is now.
 */
export async function readContainer(client: EngineClient, id: string): Promise<ContainerFacts | undefined> {
  const handle = client.getContainer(id);
  let inspect: ApiDocument;
  try {
    inspect = (await handle.inspect()) as ApiDocument;
  } catch (error) {
    if (error instanceof EngineApiError && error.statusCode === 404) return undefined;
    throw error;
  }
  const facts: ContainerFacts = { inspect };
  if (obj(inspect, 'State')?.['Running'] === true) {
    try {
      facts.processes = processesFromTop(await handle.top());
    } catch (error) {
      if (error instanceof EngineApiError && error.statusCode === 404) return undefined;
      facts.processes = { unavailable: true, reason: `could not list processes: ${describeError(error)}` };
    }
  }
  return facts;
}

/**
 * Reads an image a container uses that the last full audit did not see (pulled or built since),
 * as a full collection does: inspect and history. Undefined when the daemon no longer has it.
 */
export async function readImage(client: EngineClient, id: string): Promise<ImageFacts | undefined> {
  const handle = client.getImage(id);
  try {
    const [inspect, history] = await Promise.all([
      handle.inspect() as Promise<ApiDocument>,
      (handle.history() as Promise<ApiDocument[]>).catch((error: unknown) => ({ unavailable: true as const, reason: `could not read history: ${describeError(error)}` })),
    ]);
    return { inspect, history };
  } catch (error) {
    if (error instanceof EngineApiError && error.statusCode === 404) return undefined;
    throw error;
  }
}

/** Reads one Swarm service again (`GET /services/{id}`); undefined when the manager no longer knows it. */
export async function readService(client: EngineClient, id: string): Promise<ApiDocument | undefined> {
  try {
    return (await client.inspectService(id)) as ApiDocument;
  } catch (error) {
    if (error instanceof EngineApiError && error.statusCode === 404) return undefined;
    throw error;
  }
}

/** Reads the daemon's networks again (`GET /networks`). */
export async function readNetworks(client: EngineClient): Promise<ApiDocument[]> {
  return (await client.listNetworks()) as ApiDocument[];
}

/** Reads the swarm again as a full collection does (its state from `/info`, then the cluster, nodes and services on a manager). */
export async function readSwarm(client: EngineClient): Promise<SwarmFacts | Unavailable> {
  return collectSwarm(client, (await client.info()) as ApiDocument);
}
