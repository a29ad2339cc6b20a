/**
 * Facts about the machine the daemon runs on, read under `--host-root` (default `/`).
 * Paths are the host's own (`/etc/docker`), never prefixed with the host root.
 */
import type { Unavailable } from './types.js';

/** Owner, mode and type of one host path, or why it could not be seen. */
export interface FileFacts {
  path: string;
  status: 'present' | 'absent' | 'unreadable';
  /** Why it is unreadable (EACCES…). */
  reason?: string;
  type?: 'file' | 'directory' | 'socket' | 'symlink' | 'other';
  uid?: number;
  gid?: number;
  /** Names resolved through the host's own /etc/passwd and /etc/group. */
  owner?: string;
  group?: string;
  /** Permission bits including setuid, setgid and sticky (`mode & 0o7777`). */
  mode?: number;
  /**
   * The path with every symbolic link resolved inside the host root (`/var/run/docker.sock`
   * → `/run/docker.sock`), when it differs from `path`.
   */
  realPath?: string;
  /** For a symbolic link: the facts of what it resolves to, `path` being the resolved host path. */
  target?: FileFacts;
}

export interface UserEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

export interface MountEntry {
  mountPoint: string;
  source: string;
  fsType: string;
  options: string;
  /** `major:minor` of the mounted filesystem (mountinfo only): two mounts with one device share its space. */
  device?: string;
  /** The directory of that filesystem mounted here (mountinfo only): not `/` for a bind mount of a subtree. */
  fsRoot?: string;
}

export interface AuditRuleSources {
  /** `auditctl -l` lines; Unavailable when auditctl is missing or not permitted. */
  live: string[] | Unavailable;
  /** Rule files (`/etc/audit/rules.d/*.rules`, `/etc/audit/audit.rules`) with their lines. */
  persistent: { file: string; lines: string[] }[] | Unavailable;
}

export interface SystemdUnit {
  /** `docker.service`, `docker.socket`, `containerd.service`… */
  name: string;
  /** The unit file in use (first found in /etc, /run, /usr/lib, /lib systemd directories). */
  fragmentPath?: string;
  /** Drop-in files (`<unit>.d/*.conf`), in order. */
  dropIns: string[];
  /** Directives merged from the fragment and drop-ins, last one winning (`TasksMax`, `ListenStream`, `ExecStart`). */
  directives: Record<string, string>;
}

export interface HostProcess {
  pid: number;
  comm: string;
  args: string;
}

export interface HostSystemFacts {
  /** The host root the facts were read under. */
  root: string;
  /** Every path looked at, keyed by host path. */
  files: Record<string, FileFacts>;
  users: UserEntry[] | Unavailable;
  groups: GroupEntry[] | Unavailable;
  mounts: MountEntry[] | Unavailable;
  audit: AuditRuleSources;
  units: SystemdUnit[];
  /** `/etc/os-release` key/values. */
  osRelease: Record<string, string> | Unavailable;
  /** `/var/run/reboot-required` present. */
  rebootRequired: boolean;
  /**
   * Pending upgrades as the package manager's local metadata tells, without network;
   * `listsUpdated` is when that metadata was last refreshed (ISO time), when known.
   */
  packageUpdates: { manager: string; pending: string[]; listsUpdated?: string } | Unavailable;
  /** Kernel and VM settings read from /proc/sys (`kernel.pid_max` → value). */
  sysctl: Record<string, string>;
  /** DOCKER_* variables of the auditing process, and of system-wide environment files. */
  environment: { process: Record<string, string>; files: { path: string; values: Record<string, string> }[] };
  processes: HostProcess[] | Unavailable;
  /**
   * Where Docker's binaries really are on this host (`dockerd` → `/usr/sbin/dockerd`): dockerd,
   * docker, containerd, containerd-shim, containerd-shim-runc-v1, containerd-shim-runc-v2, runc;
   * a binary found nowhere has no entry. Sockets are in `files`, at the paths the settings name.
   */
  binaries: Record<string, string>;
  /** journald storage setting and whether /var/log/journal exists. */
  journald: { storage?: string; persistentDirectory: boolean } | Unavailable;
  /** Syslog daemon config lines that forward to a remote host (`*.* @@loghost:514`). */
  syslogForwarding: string[];
  /** `iptables-save` output; Unavailable when the tool is missing or not permitted. */
  iptables: string | Unavailable;
  /** Parts of the host that were not visible (unreadable files, missing tools), one line each. */
  notVisible: string[];
}

export interface HostFacts {
  hostname: string;
  /** Whether the daemon's socket is on this machine, so host facts describe the daemon's host. */
  daemonIsLocal: boolean;
  apparmorEnabled?: boolean;
  selinuxEnabled?: boolean;
  /** Host files, audit rules, groups, mounts… Unavailable when the host is not visible. */
  system?: HostSystemFacts | Unavailable;
}
