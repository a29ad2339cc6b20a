/**
 * Where the files of CIS section 3 really are on the audited host: the docker units wherever
 * systemd found them, the TLS files and sockets the daemon's configuration names, the registry
 * certificates the collector listed. Every function returns host paths (never prefixed with the
 * host root) or says why there is nothing to check.
 */
import { posix } from 'node:path';
import type { FileFacts, HostSystemFacts } from '../../../snapshot/host.js';
import { isUnavailable, type DaemonConfigFacts, type Snapshot } from '../../../snapshot/types.js';
import { asBoolean, asStringList } from '../../shared/daemon-facts.js';
import type { Targets } from './permissions.js';

/** The facts of a host path; `/var/run/x` and `/run/x` are one place on every current distribution. */
export function factsOf(system: HostSystemFacts, path: string): FileFacts | undefined {
  const direct = system.files[path];
  if (direct?.status === 'present') return direct;
  const alias = path.startsWith('/var/run/') ? path.slice('/var'.length) : path.startsWith('/run/') ? `/var${path}` : undefined;
  const aliased = alias === undefined ? undefined : system.files[alias];
  if (aliased?.status === 'present') return aliased;
  return direct ?? aliased;
}

/** The daemon's effective configuration, when it was read. */
export function daemonConfigOf(snapshot: Snapshot): DaemonConfigFacts | undefined {
  const daemon = snapshot.daemon;
  if (isUnavailable(daemon) || isUnavailable(daemon.config)) return undefined;
  return daemon.config;
}

function setting(config: DaemonConfigFacts | undefined, key: string): string | undefined {
  const value = config?.settings[key];
  return typeof value === 'string' && value !== '' ? posix.normalize(value) : undefined;
}

/** The unit file and drop-ins of a systemd unit; a masked unit (linked to /dev/null) has none. */
export function unitFileTargets<Messages extends string>(system: HostSystemFacts, unitName: string): Targets<Messages> {
  const unit = system.units.find((candidate) => candidate.name === unitName);
  const paths = [unit?.fragmentPath, ...(unit?.dropIns ?? [])].filter(
    (path): path is string => typeof path === 'string' && path !== '' && path !== '/dev/null',
  );
  if (paths.length === 0) {
    const masked = unit?.fragmentPath === '/dev/null';
    return { absent: { subject: unitName, path: masked ? `the ${unitName} unit (masked)` : `the ${unitName} unit` } };
  }
  return { paths };
}

/** A single fixed path. */
export function pathTarget<Messages extends string>(path: string): Targets<Messages> {
  return { paths: [path] };
}

export const CERTS_DIR = '/etc/docker/certs.d';

/** Everything the collector listed under /etc/docker/certs.d, sorted by path. */
function certsEntries(system: HostSystemFacts): FileFacts[] {
  return Object.values(system.files)
    .filter((facts) => facts.path.startsWith(`${CERTS_DIR}/`) && facts.status !== 'absent')
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** Why the certificate directory gives nothing to list, or undefined when it is a readable directory. */
function certsDirTargets<Messages extends string>(system: HostSystemFacts): Targets<Messages> | undefined {
  const directory = factsOf(system, CERTS_DIR);
  if (directory === undefined || directory.status === 'absent') return { absent: { subject: CERTS_DIR, path: CERTS_DIR } };
  if (directory.status === 'unreadable') return { paths: [CERTS_DIR] };
  return undefined;
}

/**
 * For the owner check: the certificate directory itself and every directory and file under it,
 * since whoever owns a registry's directory can replace the certificates in it.
 */
export function certsOwnerTargets<Messages extends string>(system: HostSystemFacts): Targets<Messages> {
  return (
    certsDirTargets(system) ?? {
      paths: [CERTS_DIR, ...certsEntries(system).map((facts) => facts.path)],
    }
  );
}

/**
 * For the mode check: the files under the certificate directory, links to files included
 * (directories need their execute bits).
 */
export function certsFileTargets<Messages extends string>(system: HostSystemFacts, noFiles: Messages): Targets<Messages> {
  const early = certsDirTargets<Messages>(system);
  if (early) return early;
  const files = certsEntries(system).filter((facts) => (facts.type === 'symlink' ? facts.target?.type : facts.type) !== 'directory');
  if (files.length === 0) return { verdict: { subject: CERTS_DIR, status: 'skipped', messageId: noFiles, data: { path: CERTS_DIR } } };
  return { paths: files.map((facts) => facts.path) };
}

/** The TLS file settings of dockerd and the names it falls back to (its `~/.docker` for root). */
const TLS_DEFAULTS = {
  tlscacert: '/root/.docker/ca.pem',
  tlscert: '/root/.docker/cert.pem',
  tlskey: '/root/.docker/key.pem',
} as const;

export type TlsSetting = keyof typeof TLS_DEFAULTS;

/**
 * The TLS file the daemon uses for `key`: the configured path; else the default name when
 * TLS is on (`tlsverify` for the CA, `tls` or `tlsverify` for the certificate and key);
 * else nothing to check, reported with the rule's `notConfigured` message.
 */
export function tlsTargets<Messages extends string>(snapshot: Snapshot, key: TlsSetting, notConfigured: Messages): Targets<Messages> {
  const config = daemonConfigOf(snapshot);
  const configured = setting(config, key);
  if (configured !== undefined) return { paths: [configured] };
  const verify = asBoolean(config?.settings['tlsverify']) === true;
  const tls = verify || asBoolean(config?.settings['tls']) === true;
  if (key === 'tlscacert' ? verify : tls) return { paths: [TLS_DEFAULTS[key]] };
  return {
    verdict: {
      subject: key,
      status: 'skipped',
      messageId: notConfigured,
      data: { setting: key, tls: tls ? 'on' : 'off', tlsverify: verify ? 'on' : 'off' },
    },
  };
}

const DEFAULT_SOCKET = '/var/run/docker.sock';

/** A systemd ListenStream value that is a path (`/run/docker.sock`), not a port or an address. */
function listenPath(system: HostSystemFacts): string | undefined {
  const value = system.units.find((unit) => unit.name === 'docker.socket')?.directives['ListenStream'];
  return value !== undefined && value.startsWith('/') ? posix.normalize(value) : undefined;
}

/**
 * The daemon's unix sockets: `unix://` entries of `hosts`, `fd://` resolved through the
 * docker.socket unit, the default socket when no host is configured. Without the daemon's
 * configuration: the socket dockaudit itself connected to, else the default.
 */
export function dockerSocketTargets<Messages extends string>(
  snapshot: Snapshot,
  system: HostSystemFacts,
  noUnixSocket: Messages,
): Targets<Messages> {
  const config = daemonConfigOf(snapshot);
  const hosts = asStringList(config?.settings['hosts']);
  if (config === undefined || hosts.length === 0) {
    const target = snapshot.target.dockerHost;
    const connected = snapshot.host.daemonIsLocal && target.startsWith('unix://') ? target.slice('unix://'.length) : undefined;
    return { paths: [posix.normalize(connected || (config === undefined ? listenPath(system) : undefined) || DEFAULT_SOCKET)] };
  }
  const paths = new Set<string>();
  for (const host of hosts) {
    if (host.startsWith('unix://')) paths.add(posix.normalize(host.slice('unix://'.length) || DEFAULT_SOCKET));
    else if (host.startsWith('fd://')) paths.add(listenPath(system) ?? DEFAULT_SOCKET);
  }
  if (paths.size === 0) {
    return { verdict: { subject: 'dockerd', status: 'skipped', messageId: noUnixSocket, data: { hosts: hosts.join(', ') } } };
  }
  return { paths: [...paths] };
}

/** The group dockerd gives its socket: `group` (`-G`), else `docker`. */
export function dockerSocketGroup(snapshot: Snapshot): string {
  return setting(daemonConfigOf(snapshot), 'group') ?? 'docker';
}

/** The daemon.json dockerd reads (`--config-file`), else the default. */
export function daemonJsonPath(snapshot: Snapshot): string {
  return daemonConfigOf(snapshot)?.configFile.path ?? '/etc/docker/daemon.json';
}

const SYSTEM_CONTAINERD_SOCKET = '/run/containerd/containerd.sock';

/**
 * The containerd socket dockerd talks to: `containerd` (`--containerd`) when set; else the
 * system containerd's socket when present; else the one dockerd starts under its exec root.
 */
export function containerdSocketTargets<Messages extends string>(snapshot: Snapshot, system: HostSystemFacts): Targets<Messages> {
  const config = daemonConfigOf(snapshot);
  const configured = setting(config, 'containerd');
  if (configured !== undefined) return { paths: [configured] };
  const managed = posix.join(setting(config, 'exec-root') ?? '/var/run/docker', 'containerd', 'containerd.sock');
  const candidates = [SYSTEM_CONTAINERD_SOCKET, managed];
  const present = candidates.find((path) => factsOf(system, path)?.status === 'present');
  if (present !== undefined) return { paths: [present] };
  // Not present anywhere: say so only when every place was looked at and found empty.
  const unseen = candidates.find((path) => factsOf(system, path)?.status !== 'absent');
  if (unseen !== undefined) return { paths: [unseen] };
  return { absent: { subject: SYSTEM_CONTAINERD_SOCKET, path: candidates.join(' or ') } };
}
