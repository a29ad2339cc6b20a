import type { HostFacts } from './host.js';
import type { SourceFiles } from './files.js';
import type { AdvisoryDatabase } from './advisories.js';
import type { ImageContents, UnscannedImage } from './image-contents.js';
import type { RegistryFacts } from './registry.js';

export type { HostFacts } from './host.js';

/**
 * The Snapshot: every fact a rule may look at, collected once.
 *
 * Raw Docker Engine API documents are kept as the daemon returned them (inspect, history,
 * info), so a snapshot written today can be re-audited by a later dockaudit that knows
 * more rules. Anything derived (workloads, effective daemon settings) is computed from
 * these by pure functions in this folder.
 */

/** Bumped whenever a change would make an older snapshot be read wrongly. */
export const SNAPSHOT_SCHEMA_VERSION = 1;

/** A section that could not be collected, and why. Rules needing it report `skipped`. */
export interface Unavailable {
  unavailable: true;
  reason: string;
}

export function isUnavailable(value: unknown): value is Unavailable {
  return typeof value === 'object' && value !== null && (value as Unavailable).unavailable === true;
}

/** Something collection could not read; kept so the report can say what was not seen. */
export interface CollectionProblem {
  scope: 'daemon' | 'container' | 'image' | 'network' | 'volume' | 'swarm' | 'host' | 'file';
  subject?: string;
  reason: string;
  /**
   * Set when the problem leaves daemon subjects or sections unaudited (a list, an inspect or a
   * process listing that failed): the audit is then incomplete and exits 2. Unset for notes
   * (a container removed while the audit ran, a remote daemon's files).
   */
  unaudited?: true;
}

/** Loosely typed Engine API document: we only rely on fields we read defensively. */
export type ApiDocument = Record<string, unknown>;

export interface ProcessEntry {
  user: string;
  pid: string;
  command: string;
}

export interface ContainerFacts {
  /** `GET /containers/{id}/json` as returned. */
  inspect: ApiDocument;
  /** Processes from `GET /containers/{id}/top` for running containers (read by the daemon, no exec). */
  processes?: ProcessEntry[] | Unavailable;
}

export interface ImageFacts {
  /** `GET /images/{id}/json` as returned. */
  inspect: ApiDocument;
  /** `GET /images/{id}/history` as returned. */
  history?: ApiDocument[] | Unavailable;
}

/** The daemon's configuration as dockerd runs it: daemon.json merged with its command line. */
export interface DaemonConfigFacts {
  /** Where daemon.json was looked for, and whether it was read. */
  configFile: { path: string; status: 'read' | 'absent' | 'unreadable' | 'invalid'; reason?: string };
  /** dockerd's argv when the daemon runs on this machine, else undefined. */
  commandLine?: string[];
  /** Effective settings, daemon.json keys (flags mapped onto them), flags winning. */
  settings: Record<string, unknown>;
  /** Where each effective setting came from. */
  origin: Record<string, 'file' | 'flag'>;
}

export interface DaemonFacts {
  /** `GET /version`. */
  version: ApiDocument;
  /** `GET /info`. */
  info: ApiDocument;
  /** Local configuration; Unavailable when the daemon is remote or its process is not visible. */
  config: DaemonConfigFacts | Unavailable;
}

export interface SwarmFacts {
  /** `GET /swarm` (manager only). */
  swarm?: ApiDocument;
  nodes: ApiDocument[];
  services: ApiDocument[];
}

export interface Snapshot {
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  tool: { name: 'dockaudit'; version: string };
  collectedAt: string;
  target: { dockerHost: string };
  daemon: DaemonFacts | Unavailable;
  containers: ContainerFacts[] | Unavailable;
  images: ImageFacts[] | Unavailable;
  networks: ApiDocument[] | Unavailable;
  volumes: ApiDocument[] | Unavailable;
  swarm: SwarmFacts | Unavailable;
  host: HostFacts;
  /** Dockerfiles and Compose files given on the command line, when any. */
  files?: SourceFiles;
  /** Layer scans of images, when asked for (`dockaudit image`, `audit --images`). */
  imageContents?: (ImageContents | UnscannedImage)[];
  /** Advisories for the packages of the scanned images, when layers were scanned; Unavailable when no database was given or found. */
  advisories?: AdvisoryDatabase | Unavailable;
  /** The digests the registries give for the tags of the images in use, when asked for (`--check-registry`). */
  registry?: RegistryFacts;
  problems: CollectionProblem[];
}

