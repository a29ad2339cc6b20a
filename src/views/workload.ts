/**
 * The workload: one shape for a live container, a Swarm service and a Compose service,
 * so that a container rule is written once and fires with the same id for all three.
 */
import type { SourceLocation } from '../parsers/text-position.js';
import { arr, num, str } from '../snapshot/api-document.js';
import type { ApiDocument } from '../snapshot/types.js';

export type { SourceLocation } from '../parsers/text-position.js';
export type { ApiDocument } from '../snapshot/types.js';

export type WorkloadKind = 'container' | 'service' | 'compose-service';

export interface WorkloadMount {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  /** Host path for binds, volume name for volumes. */
  source: string;
  target: string;
  readOnly: boolean;
  propagation?: string;
}

export interface WorkloadPort {
  containerPort: number;
  protocol: string;
  /** Host address the port is bound to; '' or '0.0.0.0' or '::' means every interface. */
  hostIp: string;
  /** First host port; undefined when the daemon picks one (publish without a host port). */
  hostPort?: number;
  hostPortEnd?: number;
}

export interface WorkloadUlimit {
  name: string;
  soft: number;
  hard: number;
}

export interface WorkloadDevice {
  hostPath: string;
  containerPath: string;
  permissions: string;
}

export interface WorkloadHealthcheck {
  test: string[];
  /** Where the healthcheck comes from. */
  origin: 'workload' | 'image';
}

export interface Workload {
  kind: WorkloadKind;
  /** Container id or service id; absent for compose services. */
  id?: string;
  name: string;
  /** Runtime state of a container (running, exited, created, paused, restarting, dead). */
  state?: string;
  image: string;
  imageId?: string;
  /**
   * Built from a Dockerfile by Compose (`build:`): `image` is then the name Compose tags the
   * build with, or `<service> (built)`, and no registry holds it.
   */
  built?: boolean;
  /** Configured user; '' when none was set (the image's or the default). */
  user: string;
  /** Effective user of the image when the workload sets none, '' when unknown. */
  imageUser?: string;
  privileged: boolean;
  capAdd: string[];
  capDrop: string[];
  /** Namespace modes as Docker spells them ('host', 'container:<id>', 'private', '' …). */
  namespaces: { network: string; pid: string; ipc: string; uts: string; userns: string; cgroup: string };
  /** Networks the workload is attached to, by name. */
  networks: string[];
  mounts: WorkloadMount[];
  ports: WorkloadPort[];
  publishAll: boolean;
  /** Ports the image declares with EXPOSE (`80/tcp`). */
  exposedPorts: string[];
  resources: {
    /** Bytes; 0 means no limit. */
    memory: number;
    /** Bytes of memory+swap; 0 unset (defaults to 2× memory), -1 unlimited. */
    memorySwap: number;
    kernelMemory: number;
    cpuShares: number;
    cpuQuota: number;
    nanoCpus: number;
    cpusetCpus: string;
    /** 0 or negative means unlimited. */
    pidsLimit: number;
    oomKillDisable: boolean;
    oomScoreAdj: number;
    cgroupParent: string;
    ulimits: WorkloadUlimit[];
    devices: WorkloadDevice[];
  };
  readOnlyRootfs: boolean;
  restart: { name: string; maximumRetryCount: number };
  /** Effective healthcheck (workload's, else image's); undefined when none; test ['NONE'] disables. */
  healthcheck?: WorkloadHealthcheck;
  /** Runtime health status of a running container ('healthy', 'unhealthy', 'starting'). */
  health?: string;
  logging: { driver: string; options: Record<string, string> };
  securityOpt: string[];
  /** Environment variable names (values are never carried into findings). */
  env: Record<string, string>;
  labels: Record<string, string>;
  /** Processes of a running container, read by the daemon. */
  processes?: { user: string; command: string }[];
  /** Where the workload is defined, for file sources. */
  location?: SourceLocation;
  /** Location of individual keys (`privileged`, `ports[0]`, …) for file sources. */
  keyLocations?: Record<string, SourceLocation>;
  /** Restart count so far (live containers). */
  restartCount?: number;
}

/** Security options parsed out of `--security-opt` entries. */
export interface ParsedSecurityOptions {
  apparmor?: string;
  seccomp?: string;
  selinux: string[];
  noNewPrivileges?: boolean;
}

export function parseSecurityOptions(options: string[]): ParsedSecurityOptions {
  const parsed: ParsedSecurityOptions = { selinux: [] };
  for (const option of options) {
    const separator = option.search(/[=:]/);
    const key = separator === -1 ? option : option.slice(0, separator);
    const value = separator === -1 ? '' : option.slice(separator + 1);
    if (key === 'apparmor') parsed.apparmor = value;
    else if (key === 'seccomp') parsed.seccomp = value;
    else if (key === 'label') parsed.selinux.push(value);
    else if (key === 'no-new-privileges') parsed.noNewPrivileges = value === '' || value === 'true';
  }
  return parsed;
}

/** `Ulimits` entries (`{ Name, Soft, Hard }`) of a host config or a service's container spec. */
export function ulimitsOf(doc: ApiDocument | undefined): WorkloadUlimit[] {
  return arr(doc, 'Ulimits').map((entry) => {
    const ulimit = entry as ApiDocument;
    return { name: str(ulimit, 'Name'), soft: num(ulimit, 'Soft'), hard: num(ulimit, 'Hard') };
  });
}

/**
 * Whether what the workload's image says (its USER, HEALTHCHECK) is unknown: a Compose
 * service whose image was neither seen by the audit nor built from a collected Dockerfile.
 * `dockaudit lint` reads files only, so a rule must not claim facts about such an image.
 */
export function imageFactsUnknown(workload: Workload): boolean {
  return workload.kind === 'compose-service' && workload.imageUser === undefined;
}
