/**
 * Options of the library's entry points. Every entry point takes the same hooks: progress, the
 * end of each phase, notices a person should see, and an AbortSignal to stop.
 */
import type { ScanLimits } from '../collect/image/limits.js';
import type { VulnDbLimits } from '../collect/vuln-db/limits.js';
import type { Config } from '../engine/config.js';
import type { BenchmarkKind } from '../engine/benchmark.js';
import type { Baseline } from './baseline.js';
import type { Snapshot } from '../snapshot/types.js';

/** Where a long run is: collecting from the daemon, or reading an image's layers. */
export type ProgressEvent =
  | { kind: 'collect'; stage: string; done: number; total: number }
  | { kind: 'scan'; image: string; bytesRead: number; totalBytes: number };

/** The phases a run goes through, in order; `worker` is the Dockerfile rules' thread. */
export type Phase = 'collect' | 'load rules' | 'evaluate' | 'worker';

/** Whether the Dockerfile rules may run on a worker thread: by their number, always, or never. */
export type WorkerSetting = 'auto' | 'on' | 'off';

export interface Hooks {
  /** Called as collection and image scans advance; often, so keep it cheap. */
  onProgress?: (event: ProgressEvent) => void;
  /**
   * Called when a phase ends, so a caller can time it. `milliseconds` is given only for a phase
   * that ran on another thread (`worker`), which the caller cannot time itself.
   */
  onPhase?: (phase: Phase, milliseconds?: number) => void;
  /** Something a person should know that is not a finding (a file skipped, a thread that failed). */
  onNotice?: (message: string) => void;
  /**
   * Stops the run: the promise rejects with the signal's reason at the next step (between
   * requests, phases and images). Nothing is left behind: collection never writes to the host.
   */
  signal?: AbortSignal;
  /**
   * Called when the run creates something on a daemon (the job of `swarm`), with how to remove
   * it; the returned function is called once it is removed. The run removes it itself, on error
   * and on abort too; a caller that may end the process abruptly (a signal) keeps the list and
   * runs what is still in it.
   */
  onCreated?: (remove: () => Promise<void>) => () => void;
}

/** The Docker daemon to audit and how to reach it. */
export interface TargetOptions {
  /**
   * `unix:///path`, `tcp://host:port`, `ssh://user@host[:port]` (through the system's `ssh` and
   * `docker system dial-stdio` on the host); default the current Docker CLI context, else
   * `DOCKER_HOST` from `env`, else the local socket.
   */
  host?: string;
  /** A Docker CLI context by name (`docker context ls`), instead of `host`; `default` is DOCKER_HOST or the local socket. */
  context?: string;
  /** The environment `DOCKER_HOST`, `DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH` and `DOCKER_*` checks are read from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Where the audited host's filesystem is mounted; default `/`. */
  hostRoot?: string;
  /** Parallel Engine API requests; default 16. */
  concurrency?: number;
  /** Bytes a JSON answer of the Engine API may have; default the config's `limits`, else 64 MiB. */
  maxResponseBytes?: number;
  /** Milliseconds one Engine API call may take in all; default the config's `limits`, else 30 s. */
  requestTimeoutMs?: number;
  /**
   * Milliseconds the whole collection from the daemon may take; default the config's `limits`,
   * else 5 min. The image scans of `images` have a deadline of their own as long, else 30 min.
   */
  targetTimeoutMs?: number;
}

/** Dockerfiles and Compose files to judge. */
export interface FileOptions {
  /** Files or directories searched for Dockerfiles and Compose files (honouring `.gitignore`). */
  paths?: string[];
  /** Compose files merged into one project, as `docker compose -f a -f b` does. */
  composeFiles?: string[];
  /** What relative paths are relative to; default `process.cwd()`. */
  cwd?: string;
  /**
   * Files larger than this are not read (default 4 MiB, at most 64 MiB): like a binary, a FIFO
   * or an unreadable file, such a file is an `error` finding and makes the audit incomplete.
   */
  maxFileBytes?: number;
}

/** The layer cache of image scans. */
export interface ImageCacheOptions {
  /** Where layer scans are kept across runs; default `$XDG_CACHE_HOME/dockaudit/layers`. */
  cacheDir?: string;
  /** `false`: scan every layer again and keep nothing on disk. */
  cache?: boolean;
  /** Caps of a scan (entries and bytes per layer, bytes and layers per image, file size read); unset ones keep their default. */
  limits?: Partial<ScanLimits>;
  /**
   * The vulnerability database the scanned images' packages are matched against (DA461): OSV
   * JSON documents, osv.dev ecosystem zips, or directories of them. Default: the copy
   * `dockaudit db update` keeps in `$XDG_CACHE_HOME/dockaudit/osv`, when there is one.
   */
  vulnDb?: string[];
  /** Caps of reading the vulnerability database; unset ones keep their default. */
  vulnDbLimits?: Partial<VulnDbLimits>;
}

/** How findings are judged. */
export interface JudgeOptions {
  /** The effective configuration (see `loadConfig`); default: every rule on, fail on `low`. */
  config?: Config;
  /** Whether the Dockerfile rules may use a worker thread; default `auto`. */
  worker?: WorkerSetting;
}

/** What a report may be given besides its findings. */
export interface ReportViewOptions {
  /** An earlier report (see `readBaseline`): findings are marked `new` or `unchanged`, and only new ones count in `outcomeOf`. */
  baseline?: Baseline;
  /** Adds `benchmark` to the report: one verdict per CIS 1.6.0 control (`cis`) or per checklist item, and the score. */
  benchmark?: BenchmarkKind;
}

export interface AuditOptions extends TargetOptions, FileOptions, JudgeOptions, ReportViewOptions, Hooks {
  /**
   * Several daemons to audit in one report, each with its address or context (and any option of
   * its own); the options above are their defaults. With more than one, the report lists them in
   * `targets` and each finding names its own in `target`; Dockerfiles and Compose files are judged
   * once, apart from any daemon. One target, or none, gives the report of a single daemon.
   */
  targets?: TargetOptions[];
  /** Targets collected and judged at once; default 4. */
  targetConcurrency?: number;
  /** Audit this snapshot (from `snapshot()` or a file) instead of a live daemon. */
  snapshot?: Snapshot;
  /** Also scan the layers of every image a container uses. */
  images?: boolean | ImageCacheOptions;
  /**
   * Ask the registries which image the tags of the images in use name now (DA462). Off by
   * default: an audit does not go to the network unless asked.
   */
  checkRegistry?: boolean | RegistryCheckBounds;
  /**
   * Audit every node of the Swarm the target manages: the dockaudit image runs once on each node
   * (a one-shot global job) and the report has one target per node, plus the cluster's own
   * checks (CIS 7) once, from the manager.
   */
  swarm?: SwarmOptions;
}

/** The deadlines of the registry checks. */
export interface RegistryCheckBounds {
  /** Milliseconds one request to a registry may take; default 10 s. */
  requestTimeoutMs?: number;
  /** Milliseconds all the checks of one target may take; default 120 s. */
  totalTimeoutMs?: number;
}

/** How `audit({ swarm })` runs on the nodes. */
export interface SwarmOptions {
  /** The dockaudit image, already on every node; default `dockaudit:<version>`. */
  image?: string;
  /** Milliseconds every node has to answer, from the job's start; default 5 min. */
  timeoutMs?: number;
  /** The Docker socket's path on the nodes; Swarm templates (`{{.Node.ID}}`) apply. Default `/var/run/docker.sock`. */
  socket?: string;
}

export interface LintOptions extends Omit<FileOptions, 'paths'>, JudgeOptions, ReportViewOptions, Hooks {}

export interface ScanImagesOptions extends ImageCacheOptions, JudgeOptions, ReportViewOptions, Hooks, Pick<TargetOptions, 'maxResponseBytes' | 'requestTimeoutMs'> {
  /** Milliseconds the scans of the daemon's images may take in all, exports included; default the config's `limits`, else 30 min. */
  targetTimeoutMs?: number;
  /** The daemon holding the images (ignored with `archive`). */
  host?: string;
  env?: NodeJS.ProcessEnv;
  /** A `docker save` tarball (plain, gzip or zstd) or an OCI layout, instead of the daemon's images. */
  archive?: string;
  /**
   * Daemons whose images to scan, each by address or context (as `audit`'s targets): with more
   * than one, the report has a target per daemon and its findings name theirs. Instead of `host`.
   */
  targets?: TargetOptions[];
  /** Daemons scanned at once; default 4. */
  targetConcurrency?: number;
}

export interface SnapshotOptions extends TargetOptions, Hooks {
  /** Only its `limits` are read: the request bounds not given in the options. */
  config?: Config;
}
