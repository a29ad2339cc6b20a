/**
 * Facts about the machine the daemon runs on, read under `--host-root` (default `/`).
 */
import type { Unavailable } from './types.js';

/** Host system facts beyond the basics; extended by the host collector. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the host collector
export interface HostSystemFacts {}

export interface HostFacts {
  hostname: string;
  /** Whether the daemon's socket is on this machine, so host facts describe the daemon's host. */
  daemonIsLocal: boolean;
  apparmorEnabled?: boolean;
  selinuxEnabled?: boolean;
  /** Host files, audit rules, groups, mounts… Unavailable when the host is not visible. */
  system?: HostSystemFacts | Unavailable;
}
