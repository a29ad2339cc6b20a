/**
 * Readers over the host facts that the host rules share: the system facts, file facts by
 * path (through `/var/run` → `/run`), the daemon's data root and containerd's places.
 * Kept out of the rule folder's top level because every `.ts` file there is one rule.
 */
import { posix } from 'node:path';
import type { FileFacts, HostSystemFacts } from '../../../snapshot/host.js';
import { isUnavailable, type DaemonConfigFacts, type Snapshot } from '../../../snapshot/types.js';
import type { Subject } from '../../types.js';

/** The host's system facts; rules needing 'host' only run when they are there. */
export function systemOf(snapshot: Snapshot): HostSystemFacts | undefined {
  const system = snapshot.host.system;
  return system === undefined || isUnavailable(system) ? undefined : system;
}

export function hostSubject(name: string): Subject {
  return { kind: 'host', name };
}

/** `/var/run` is a link to `/run` on every current distribution; rules compare the `/run` form. */
export function withoutVarRun(path: string): string {
  return path === '/var/run' || path.startsWith('/var/run/') ? path.slice('/var'.length) : path;
}

/** The facts recorded for a path, or for its `/var/run` twin. */
export function factsOf(system: HostSystemFacts, path: string): FileFacts | undefined {
  const direct = system.files[path];
  if (direct !== undefined && direct.status !== 'absent') return direct;
  const twin = path.startsWith('/run/') ? `/var${path}` : path.startsWith('/var/run/') ? path.slice('/var'.length) : undefined;
  const twinFacts = twin === undefined ? undefined : system.files[twin];
  if (twinFacts !== undefined && twinFacts.status !== 'absent') return twinFacts;
  return direct ?? twinFacts;
}

/** Where a path really is: links resolved when the collector resolved them, `/var/run` as `/run`. */
export function realPathOf(system: HostSystemFacts, path: string): string {
  const facts = factsOf(system, path);
  return withoutVarRun(facts?.realPath ?? facts?.target?.path ?? path);
}

/** Whether a path exists as far as the facts tell: true, false, or the reason it is unknown. */
export function existence(facts: FileFacts | undefined): true | false | string {
  if (facts === undefined) return 'the collector did not examine it';
  if (facts.status === 'absent') return false;
  if (facts.status === 'unreadable') return facts.reason ?? 'it is not readable';
  return true;
}

/** The daemon's effective configuration, when it was read. */
export function daemonConfigOf(snapshot: Snapshot): DaemonConfigFacts | undefined {
  const daemon = snapshot.daemon;
  if (isUnavailable(daemon) || isUnavailable(daemon.config)) return undefined;
  return daemon.config;
}

function stringSetting(config: DaemonConfigFacts | undefined, key: string): string | undefined {
  const value = config?.settings[key];
  return typeof value === 'string' && value !== '' ? posix.normalize(value) : undefined;
}

/**
 * The daemon's data root as the daemon reports it (`DockerRootDir`); with user-namespace
 * remapping the daemon reports `<data-root>/<uid>.<gid>`, and the data root is its parent.
 */
export function dataRootOf(snapshot: Snapshot): string | { unknown: string } {
  const daemon = snapshot.daemon;
  if (isUnavailable(daemon)) return { unknown: `the daemon reports its data root, and it was not reachable: ${daemon.reason}` };
  const reported = daemon.info['DockerRootDir'];
  if (typeof reported !== 'string' || !reported.startsWith('/')) return { unknown: 'the daemon did not report its data root (DockerRootDir)' };
  const path = posix.normalize(reported);
  return /^\d+\.\d+$/.test(posix.basename(path)) ? posix.dirname(path) : path;
}

/** The daemon.json dockerd reads (`--config-file`), else the default. */
export function daemonJsonPath(snapshot: Snapshot): string {
  return daemonConfigOf(snapshot)?.configFile.path ?? '/etc/docker/daemon.json';
}

const SYSTEM_CONTAINERD_SOCKET = '/run/containerd/containerd.sock';

/**
 * The containerd socket dockerd uses: `containerd` (`--containerd`) when set; else the system
 * containerd's socket when present; else the one dockerd starts under its exec root.
 */
export function containerdSocketOf(snapshot: Snapshot, system: HostSystemFacts): string {
  const config = daemonConfigOf(snapshot);
  const configured = stringSetting(config, 'containerd');
  if (configured !== undefined) return configured;
  const managed = posix.join(stringSetting(config, 'exec-root') ?? '/var/run/docker', 'containerd', 'containerd.sock');
  if (factsOf(system, SYSTEM_CONTAINERD_SOCKET)?.status === 'present') return SYSTEM_CONTAINERD_SOCKET;
  if (factsOf(system, managed)?.status === 'present') return managed;
  return SYSTEM_CONTAINERD_SOCKET;
}

/** containerd's state directory: the directory of the socket dockerd uses (`/run/containerd`). */
export function containerdStateDirectoryOf(snapshot: Snapshot, system: HostSystemFacts): string {
  return posix.dirname(containerdSocketOf(snapshot, system));
}

/** The unit file and drop-ins of a systemd unit; none for a masked or absent unit. */
export function unitFilesOf(system: HostSystemFacts, unitName: string): string[] {
  const unit = system.units.find((candidate) => candidate.name === unitName);
  return [unit?.fragmentPath, ...(unit?.dropIns ?? [])].filter(
    (path): path is string => typeof path === 'string' && path !== '' && path !== '/dev/null',
  );
}

const DEFAULT_SOCKET = '/var/run/docker.sock';

function listSetting(config: DaemonConfigFacts | undefined, key: string): string[] {
  const value = config?.settings[key];
  if (typeof value === 'string') return value === '' ? [] : [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}

/** A docker.socket ListenStream that is a path, not a port. */
function listenPath(system: HostSystemFacts): string | undefined {
  const value = system.units.find((unit) => unit.name === 'docker.socket')?.directives['ListenStream'];
  return value !== undefined && value.startsWith('/') ? posix.normalize(value) : undefined;
}

/**
 * The daemon's unix sockets: `unix://` entries of `hosts`, `fd://` through the docker.socket
 * unit, else the socket dockaudit connected to, else the default.
 */
export function dockerSocketsOf(snapshot: Snapshot, system: HostSystemFacts): string[] {
  const config = daemonConfigOf(snapshot);
  const hosts = listSetting(config, 'hosts');
  if (hosts.length === 0) {
    const target = snapshot.target.dockerHost;
    const connected = snapshot.host.daemonIsLocal && target.startsWith('unix://') ? target.slice('unix://'.length) : undefined;
    return [posix.normalize(connected || (config === undefined ? listenPath(system) : undefined) || DEFAULT_SOCKET)];
  }
  const paths = new Set<string>();
  for (const host of hosts) {
    if (host.startsWith('unix://')) paths.add(posix.normalize(host.slice('unix://'.length) || DEFAULT_SOCKET));
    else if (host.startsWith('fd://')) paths.add(listenPath(system) ?? DEFAULT_SOCKET);
  }
  return [...paths];
}

/** The group dockerd gives its socket: `group` (`-G`), else `docker`. */
export function dockerGroupOf(snapshot: Snapshot): string {
  return stringSetting(daemonConfigOf(snapshot), 'group') ?? 'docker';
}
