/**
 * The daemon's effective configuration: daemon.json at the path dockerd really uses, merged
 * with dockerd's command line read from /proc (flags win), both from the daemon's host, which is
 * this machine or the one whose filesystem is mounted at the host root.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError } from '../errors.js';
import type { DaemonConfigFacts, Unavailable } from '../snapshot/types.js';
import { HostFs } from './host/host-fs.js';
import { readProcFile } from './proc-file.js';

export const DEFAULT_DAEMON_JSON = '/etc/docker/daemon.json';

/** Bytes of daemon.json read; a larger file is reported unreadable rather than cut. */
export const DAEMON_JSON_BYTES = 1024 * 1024;

/** Short flags and renamed flags, mapped to their daemon.json key. */
const FLAG_ALIASES: Record<string, string> = {
  D: 'debug',
  l: 'log-level',
  G: 'group',
  s: 'storage-driver',
  g: 'data-root',
  graph: 'data-root',
  H: 'hosts',
  host: 'hosts',
  tlsverify: 'tlsverify',
  'authorization-plugin': 'authorization-plugins',
  'insecure-registry': 'insecure-registries',
  'registry-mirror': 'registry-mirrors',
  'storage-opt': 'storage-opts',
  'exec-opt': 'exec-opts',
  label: 'labels',
  'dns-opt': 'dns-opts',
  'dns-search': 'dns-search',
  dns: 'dns',
  'add-runtime': 'runtimes',
  'allow-nondistributable-artifacts': 'allow-nondistributable-artifacts',
  'default-address-pool': 'default-address-pools',
};

/** Flags that may repeat and collect into a list. */
const LIST_KEYS = new Set([
  'hosts',
  'authorization-plugins',
  'insecure-registries',
  'registry-mirrors',
  'storage-opts',
  'exec-opts',
  'labels',
  'dns',
  'dns-opts',
  'dns-search',
  'runtimes',
  'allow-nondistributable-artifacts',
  'default-address-pools',
]);

/** Boolean flags: a bare `--flag` means true. */
const BOOLEAN_KEYS = new Set([
  'debug',
  'tlsverify',
  'tls',
  'icc',
  'iptables',
  'ip6tables',
  'ip-forward',
  'ip-masq',
  'ipv6',
  'live-restore',
  'userland-proxy',
  'no-new-privileges',
  'experimental',
  'selinux-enabled',
  'init',
  'rootless',
]);

function parseValue(key: string, value: string | undefined): unknown {
  if (BOOLEAN_KEYS.has(key)) return value === undefined ? true : value !== 'false' && value !== '0';
  return value ?? '';
}

function parseUlimit(value: string): { Name: string; Soft: number; Hard: number } | undefined {
  const match = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(value);
  if (!match) return undefined;
  const soft = Number(match[2]);
  return { Name: match[1] as string, Soft: soft, Hard: match[3] === undefined ? soft : Number(match[3]) };
}

/** Turns dockerd's argv (without argv[0]) into daemon.json-shaped settings. */
export function parseDockerdFlags(argv: string[]): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] as string;
    const match = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/s.exec(argument);
    if (!match) continue;
    const name = match[1] as string;
    const key = FLAG_ALIASES[name] ?? name;
    let value = match[2];
    if (value === undefined && !BOOLEAN_KEYS.has(key)) {
      const next = argv[index + 1];
      if (next !== undefined && !next.startsWith('-')) {
        value = next;
        index += 1;
      }
    }
    if (key === 'log-opt') {
      const [optionName, ...rest] = (value ?? '').split('=');
      const logOpts = (settings['log-opts'] ?? {}) as Record<string, string>;
      logOpts[optionName as string] = rest.join('=');
      settings['log-opts'] = logOpts;
    } else if (key === 'default-ulimit') {
      const ulimit = parseUlimit(value ?? '');
      if (ulimit) {
        const ulimits = (settings['default-ulimits'] ?? {}) as Record<string, unknown>;
        ulimits[ulimit.Name] = ulimit;
        settings['default-ulimits'] = ulimits;
      }
    } else if (LIST_KEYS.has(key)) {
      const list = (settings[key] ?? []) as unknown[];
      list.push(value ?? '');
      settings[key] = list;
    } else {
      settings[key] = parseValue(key, value);
    }
  }
  return settings;
}

/** A dockerd process: its PID and command line. */
interface Dockerd {
  pid: number;
  argv: string[];
  /** Its real user id, when its status says. */
  uid?: number;
  /** How many PID namespaces deep it is from the /proc it was read under (1: that /proc's own), when its status says. */
  depth?: number;
}

/** The real uid and the PID-namespace depth (the number of NSpid values) a /proc/PID/status gives. */
function statusFacts(status: string): { uid?: number; depth?: number } {
  const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
  const nspid = /^NSpid:\s+([\d\s]+?)\s*$/m.exec(status)?.[1];
  return { ...(uid !== undefined ? { uid: Number(uid) } : {}), ...(nspid !== undefined ? { depth: nspid.split(/\s+/).length } : {}) };
}

/**
 * Whether a process named dockerd may be the daemon serving a socket owned by `socketOwner`: any
 * process can call itself dockerd and claim any socket on its command line, so one in a PID
 * namespace of its own (a container's) is not the host's daemon, and one whose user does not own
 * the socket did not make it. What a status does not say is not held against it.
 */
function mayServe(candidate: Dockerd, socketOwner: number | undefined): boolean {
  if (candidate.depth !== undefined && candidate.depth > 1) return false;
  if (socketOwner !== undefined && candidate.uid !== undefined && candidate.uid !== socketOwner) return false;
  return true;
}

/** The owner of the socket file at `path`, when it can be read. */
async function ownerOf(path: string | undefined): Promise<number | undefined> {
  if (path === undefined) return undefined;
  try {
    return (await stat(path.replace(/^unix:\/\//, ''))).uid;
  } catch {
    return undefined;
  }
}

/** Bytes of a process name file read; the kernel's are 16 at most, a longer file names no dockerd. */
const NAME_BYTES = 4096;
/** Bytes of a dockerd command line read; a longer one is not judged (its flags would be cut). */
const CMDLINE_BYTES = 256 * 1024;
/** Bytes of a /proc/PID/status read (a couple of KiB in practice). */
const STATUS_BYTES = 64 * 1024;

/** Processes whose names are read between two yields to the event loop. */
const COMM_BATCH = 128;

/** Every dockerd under a /proc root. */
async function listDockerds(procRoot: string): Promise<Dockerd[]> {
  let entries: string[];
  try {
    entries = await readdir(procRoot);
  } catch {
    return [];
  }
  const found: Dockerd[] = [];
  const nameBuffer = Buffer.allocUnsafe(NAME_BYTES + 1);
  const cmdlineBuffer = Buffer.allocUnsafe(CMDLINE_BYTES + 1);
  const statusBuffer = Buffer.allocUnsafe(STATUS_BYTES + 1);
  let looked = 0;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    // The API's answers and the other reads go on between batches of this pass.
    looked += 1;
    if (looked % COMM_BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
    try {
      // Bounded, non-blocking reads (proc-file.ts): a name longer than any process name, or a
      // command line over its cap, names no dockerd this pass can judge.
      const name = readProcFile(join(procRoot, entry, 'comm'), nameBuffer);
      if (name === undefined || name.truncated || name.text.trim() !== 'dockerd') continue;
      const cmdline = readProcFile(join(procRoot, entry, 'cmdline'), cmdlineBuffer);
      if (cmdline === undefined || cmdline.truncated) continue;
      const argv = cmdline.text.split('\0').filter(Boolean);
      // A process that ended (a zombie) or anything but a process file has no command line.
      if (argv.length === 0) continue;
      const status = readProcFile(join(procRoot, entry, 'status'), statusBuffer);
      found.push({ pid: Number(entry), argv, ...statusFacts(status === undefined || status.truncated ? '' : status.text) });
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  }
  return found;
}

/**
 * The dockerd serving `socketPath` among the given ones: the one whose -H names it; else, for
 * the default socket, the only one started by systemd socket activation (`-H fd://`); without a
 * socket (a daemon reached over TCP), the only dockerd there is.
 */
function servingDockerd(candidates: Dockerd[], socketPath: string | undefined): Dockerd | undefined {
  if (socketPath === undefined) return candidates.length === 1 ? candidates[0] : undefined;
  const served = (argv: string[]): string[] => {
    const hosts = parseDockerdFlags(argv.slice(1))['hosts'];
    return Array.isArray(hosts) && hosts.length > 0 ? (hosts as string[]) : ['unix:///var/run/docker.sock'];
  };
  const normalise = (path: string): string => path.replace(/^unix:\/\//, '').replace(/^\/var\/run\//, '/run/');
  const wanted = normalise(socketPath);
  const exacts = candidates.filter((candidate) => served(candidate.argv).some((host) => normalise(host) === wanted));
  // Two that claim the socket alike: which one serves it is not known, so neither is taken.
  if (exacts.length > 1) return undefined;
  const exact = exacts[0];
  if (exact !== undefined || wanted !== '/run/docker.sock') return exact;
  const activated = candidates.filter((candidate) => served(candidate.argv).some((host) => host.startsWith('fd://')));
  return activated.length === 1 ? activated[0] : undefined;
}

/** Finds the dockerd serving `socketPath` among the processes under `procRoot`. */
export async function findDockerdCommandLine(socketPath: string, procRoot = '/proc'): Promise<string[] | undefined> {
  const owner = await ownerOf(socketPath);
  return servingDockerd((await listDockerds(procRoot)).filter((candidate) => mayServe(candidate, owner)), socketPath)?.argv;
}

/** Whether two paths are the same directory (a bind mount of the host's / and the host's own /). */
async function sameDirectory(first: string, second: string): Promise<boolean> {
  try {
    const [a, b] = await Promise.all([stat(first), stat(second)]);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}

/**
 * The dockerd whose socket, under the host root, is the very file `socketPath` is here: the
 * host's socket mounted into a container at another path (a `--swarm` node whose daemon listens
 * elsewhere than /var/run/docker.sock).
 */
async function dockerdOfMountedSocket(candidates: Dockerd[], socketPath: string, hostRoot: string): Promise<Dockerd | 'ambiguous' | undefined> {
  let here;
  try {
    here = await stat(socketPath.replace(/^unix:\/\//, ''));
  } catch {
    return undefined;
  }
  const matching: Dockerd[] = [];
  for (const candidate of candidates) {
    const hosts = parseDockerdFlags(candidate.argv.slice(1))['hosts'];
    const paths = (Array.isArray(hosts) && hosts.length > 0 ? (hosts as string[]) : ['unix:///var/run/docker.sock']).filter((host) => host.startsWith('unix://')).flatMap((host) => {
      // /var/run is a link to /run on most hosts, which under the host root would resolve here.
      const path = host.slice('unix://'.length);
      return path.startsWith('/var/run/') ? [path, path.replace(/^\/var\/run\//, '/run/')] : [path];
    });
    for (const path of paths) {
      try {
        const there = await stat(join(hostRoot, path));
        if (there.dev === here.dev && there.ino === here.ino) {
          matching.push(candidate);
          break;
        }
      } catch {
        // Not there, or not readable: not this one.
      }
    }
  }
  // Two that name the same socket file: which one serves it is not known.
  return matching.length > 1 ? 'ambiguous' : matching[0];
}

/**
 * The dockerd command line of the audited host: this machine's /proc for the root `/`; under
 * another host root, its /proc when mounted there, else this machine's /proc when that dockerd's
 * root directory is the host root (dockaudit in a container with `--pid host`).
 */
async function dockerdOfHost(socketPath: string | undefined, hostRoot: string): Promise<string[] | undefined> {
  const owner = await ownerOf(socketPath);
  const plausible = (candidates: Dockerd[]): Dockerd[] => candidates.filter((candidate) => mayServe(candidate, owner));
  if (hostRoot === '/') return servingDockerd(plausible(await listDockerds('/proc')), socketPath)?.argv;
  const hostDockerds = plausible(await listDockerds(join(hostRoot, 'proc')));
  // In a container the socket's path says little (another daemon of the host may serve the same
  // path): the socket file itself names the daemon.
  const mounted = socketPath !== undefined ? await dockerdOfMountedSocket(hostDockerds, socketPath, hostRoot) : undefined;
  if (mounted === 'ambiguous') return undefined;
  const underRoot = mounted ?? servingDockerd(hostDockerds, socketPath);
  if (underRoot !== undefined) return underRoot.argv;
  const here = servingDockerd(plausible(await listDockerds('/proc')), socketPath);
  return here !== undefined && (await sameDirectory(`/proc/${here.pid}/root`, hostRoot)) ? here.argv : undefined;
}

export interface DaemonConfigOptions {
  /** The unix socket dockaudit talks to the daemon through; absent for a daemon over TCP. */
  socketPath?: string;
  /** Where the daemon's host filesystem is mounted (default `/`): daemon.json and the --config-file are read under it. */
  hostRoot?: string;
}

/** Reads and merges the daemon's configuration, from the host under the host root. */
export async function collectDaemonConfig(options: DaemonConfigOptions): Promise<DaemonConfigFacts | Unavailable> {
  const hostFs = new HostFs(options.hostRoot ?? '/');
  const commandLine = await dockerdOfHost(options.socketPath, hostFs.root);
  const flags = commandLine ? parseDockerdFlags(commandLine.slice(1)) : {};
  const path = typeof flags['config-file'] === 'string' ? flags['config-file'] : DEFAULT_DAEMON_JSON;
  let fileSettings: Record<string, unknown> = {};
  let configFile: DaemonConfigFacts['configFile'];
  const read = await hostFs.readText(path, DAEMON_JSON_BYTES);
  if (read.status === 'absent') configFile = { path, status: 'absent' };
  else if (read.status === 'unreadable') configFile = { path, status: 'unreadable', reason: read.reason };
  else if (read.truncated) configFile = { path, status: 'unreadable', reason: `larger than ${DAEMON_JSON_BYTES} bytes` };
  else {
    try {
      const parsed: unknown = JSON.parse(read.text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        configFile = { path, status: 'invalid', reason: 'not a JSON object' };
      } else {
        fileSettings = parsed as Record<string, unknown>;
        configFile = { path, status: 'read' };
      }
    } catch (error) {
      configFile = { path, status: 'invalid', reason: describeError(error) };
    }
  }
  if (!commandLine && configFile.status !== 'read') {
    return {
      unavailable: true,
      reason: `the dockerd process serving ${options.socketPath ?? 'the daemon'} is not visible from here and ${path} is ${configFile.status}`,
    };
  }
  const origin: DaemonConfigFacts['origin'] = {};
  for (const key of Object.keys(fileSettings)) origin[key] = 'file';
  for (const key of Object.keys(flags)) origin[key] = 'flag';
  return {
    configFile,
    ...(commandLine ? { commandLine } : {}),
    settings: { ...fileSettings, ...flags },
    origin,
  };
}
