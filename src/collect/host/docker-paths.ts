/**
 * Docker's own files on the host, at the places this host really uses: the binaries found on
 * the system PATH (or named by the running daemon), the daemon's configuration, TLS files and
 * sockets as its settings name them, the data root the daemon reports, registry certificates.
 */
import { posix } from 'node:path';
import type { SystemdUnit } from '../../snapshot/host.js';
import { isUnavailable, type DaemonFacts, type Unavailable } from '../../snapshot/types.js';
import type { HostContext } from './context.js';
import { execStartBinary } from './systemd.js';
import { SYSTEM_PATH } from './tools.js';

/** Binaries located for the audit rules (CIS 1.1.3, 1.1.14–1.1.18). */
export const DOCKER_BINARIES = [
  'dockerd',
  'docker',
  'containerd',
  'containerd-shim',
  'containerd-shim-runc-v1',
  'containerd-shim-runc-v2',
  'runc',
] as const;

const CERTS_DIRECTORY = '/etc/docker/certs.d';
/** Registry certificates sit at certs.d/<registry>/<file>; deeper trees are not Docker's layout. */
const CERTS_MAX_DEPTH = 4;
const CERTS_MAX_ENTRIES = 1000;

const TLS_DEFAULTS = { tlscacert: '/root/.docker/ca.pem', tlscert: '/root/.docker/cert.pem', tlskey: '/root/.docker/key.pem' } as const;

function stringSetting(settings: Record<string, unknown>, key: string): string | undefined {
  const value = settings[key];
  return typeof value === 'string' && value !== '' ? posix.normalize(value) : undefined;
}

function listSetting(settings: Record<string, unknown>, key: string): string[] {
  const value = settings[key];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function booleanSetting(settings: Record<string, unknown>, key: string): boolean {
  return settings[key] === true || settings[key] === 'true';
}

function settingsOf(daemon: DaemonFacts | Unavailable): Record<string, unknown> {
  return isUnavailable(daemon) || isUnavailable(daemon.config) ? {} : daemon.config.settings;
}

/** A path that is present and resolves to a regular file. */
async function isFile(context: HostContext, path: string): Promise<boolean> {
  const facts = await context.look(path);
  return facts.status === 'present' && (facts.target ?? facts).type === 'file';
}

/**
 * Where each Docker binary is: dockerd as the running daemon or its unit starts it, the
 * default runtime as the daemon names it, else the first match in the system PATH.
 */
export async function locateBinaries(
  context: HostContext,
  daemon: DaemonFacts | Unavailable,
  units: SystemdUnit[],
): Promise<Record<string, string>> {
  const preferred: Record<string, string | undefined> = {};
  if (!isUnavailable(daemon)) {
    const argv0 = isUnavailable(daemon.config) ? undefined : daemon.config.commandLine?.[0];
    preferred['dockerd'] = argv0?.startsWith('/') ? argv0 : execStartBinary(units.find((unit) => unit.name === 'docker.service'));
    const runtimes = daemon.info['Runtimes'] as Record<string, { path?: unknown }> | undefined;
    const defaultRuntime = typeof daemon.info['DefaultRuntime'] === 'string' ? daemon.info['DefaultRuntime'] : 'runc';
    const runtimePath = runtimes?.['runc']?.path;
    if (defaultRuntime === 'runc' && typeof runtimePath === 'string' && runtimePath.startsWith('/')) preferred['runc'] = runtimePath;
  } else {
    preferred['dockerd'] = execStartBinary(units.find((unit) => unit.name === 'docker.service'));
  }
  const binaries: Record<string, string> = {};
  for (const name of DOCKER_BINARIES) {
    const first = preferred[name];
    if (first !== undefined && (await isFile(context, first))) {
      binaries[name] = first;
      continue;
    }
    for (const directory of SYSTEM_PATH) {
      const candidate = `${directory}/${name}`;
      if ((await context.fs.facts(candidate)).status === 'absent') continue;
      if (await isFile(context, candidate)) {
        binaries[name] = candidate;
        break;
      }
    }
  }
  return binaries;
}

/** Everything under /etc/docker/certs.d, depth- and count-bounded. */
async function walkCerts(context: HostContext): Promise<void> {
  const top = await context.look(CERTS_DIRECTORY);
  if (top.status !== 'present' || top.type !== 'directory') return;
  const queue: { path: string; depth: number }[] = [{ path: CERTS_DIRECTORY, depth: 0 }];
  let seen = 0;
  while (queue.length > 0) {
    const { path, depth } = queue.shift() as { path: string; depth: number };
    const listing = await context.list(path, CERTS_MAX_ENTRIES);
    if (listing.status !== 'read') continue;
    for (const name of listing.names) {
      if (seen >= CERTS_MAX_ENTRIES) {
        context.note(`${CERTS_DIRECTORY}: more than ${CERTS_MAX_ENTRIES} entries; the rest were not examined`);
        return;
      }
      seen += 1;
      const child = `${path}/${name}`;
      const facts = await context.look(child);
      // Links are recorded, not followed, so a link cannot lead the walk out of the tree.
      if (facts.type !== 'directory') continue;
      if (depth + 1 >= CERTS_MAX_DEPTH) context.note(`${child}: deeper than ${CERTS_MAX_DEPTH} levels under ${CERTS_DIRECTORY}; not examined`);
      else queue.push({ path: child, depth: depth + 1 });
    }
  }
}

function unixPath(host: string): string | undefined {
  if (!host.startsWith('unix://')) return undefined;
  return posix.normalize(host.slice('unix://'.length) || '/var/run/docker.sock');
}

/**
 * The Docker paths of CIS sections 1 and 3, each looked at: /etc/docker and its entries,
 * certs.d, daemon.json, environment files, TLS files, sockets, containerd's socket,
 * directory and configuration, the data root.
 */
export async function lookAtDockerPaths(
  context: HostContext,
  daemon: DaemonFacts | Unavailable,
  units: SystemdUnit[],
  connectedSocket: string | undefined,
): Promise<void> {
  const settings = settingsOf(daemon);
  const paths = new Set<string>(['/etc/docker', '/etc/docker/daemon.json', '/etc/default/docker', '/etc/sysconfig/docker']);
  const etcDocker = await context.list('/etc/docker');
  if (etcDocker.status === 'read') for (const name of etcDocker.names) paths.add(`/etc/docker/${name}`);
  if (!isUnavailable(daemon) && !isUnavailable(daemon.config)) paths.add(daemon.config.configFile.path);

  const tls = booleanSetting(settings, 'tls') || booleanSetting(settings, 'tlsverify');
  for (const [key, fallback] of Object.entries(TLS_DEFAULTS)) {
    const configured = stringSetting(settings, key);
    if (configured !== undefined) paths.add(configured);
    else if (tls) paths.add(fallback);
  }

  paths.add('/var/run/docker.sock');
  for (const host of listSetting(settings, 'hosts')) {
    const path = unixPath(host);
    if (path !== undefined) paths.add(path);
  }
  const listen = units.find((unit) => unit.name === 'docker.socket')?.directives['ListenStream'];
  if (listen?.startsWith('/')) paths.add(posix.normalize(listen));
  if (connectedSocket !== undefined) paths.add(posix.normalize(connectedSocket));

  const execRoot = stringSetting(settings, 'exec-root') ?? '/var/run/docker';
  const containerdSocket = stringSetting(settings, 'containerd');
  if (containerdSocket !== undefined) paths.add(containerdSocket);
  for (const path of ['/run/containerd', '/run/containerd/containerd.sock', '/etc/containerd/config.toml']) paths.add(path);
  paths.add(posix.join(execRoot, 'containerd'));
  paths.add(posix.join(execRoot, 'containerd', 'containerd.sock'));

  const dataRoot = isUnavailable(daemon) ? undefined : daemon.info['DockerRootDir'];
  if (typeof dataRoot === 'string' && dataRoot.startsWith('/')) {
    paths.add(posix.normalize(dataRoot));
    // With user-namespace remapping the daemon reports <data-root>/<uid>.<gid>.
    if (/^\d+\.\d+$/.test(posix.basename(dataRoot))) paths.add(posix.dirname(posix.normalize(dataRoot)));
  }
  const configuredRoot = stringSetting(settings, 'data-root');
  if (configuredRoot !== undefined) paths.add(configuredRoot);

  for (const path of paths) await context.look(path);
  await walkCerts(context);
}
