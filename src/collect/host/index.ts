/**
 * Host collection: everything read from the host's filesystem under the host root, plus
 * what only the running kernel can tell when that root is this machine's own `/`.
 *
 * Every read goes through the host root and every path in the facts is the host's own. What
 * cannot be read is recorded as such (a file `unreadable` with its reason, a section
 * Unavailable) and listed in `notVisible`, so no rule can mistake it for a clean result.
 */
import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { posix } from 'node:path';
import type { GroupEntry, HostFacts, HostSystemFacts, UserEntry } from '../../snapshot/host.js';
import { describeError } from '../../errors.js';
import { isUnavailable, type DaemonFacts, type Unavailable } from '../../snapshot/types.js';
import { collectAudit, liveRules } from './audit.js';
import { HostContext } from './context.js';
import { locateBinaries, lookAtDockerPaths } from './docker-paths.js';
import { errorReason } from './host-fs.js';
import { DOCKER_UNITS, collectUnit } from './systemd.js';
import {
  collectEnvironment,
  collectGroups,
  collectIptables,
  collectJournald,
  collectMounts,
  collectOsRelease,
  collectPackageUpdates,
  collectProcesses,
  collectSysctl,
  collectSyslogForwarding,
  collectUsers,
} from './system.js';
import type { ToolOptions } from './tools.js';

export interface HostCollectOptions {
  /** Where the host's filesystem is mounted; `/` for this machine. */
  hostRoot: string;
  /** Whether the audited daemon runs on the machine whose filesystem is at hostRoot. */
  daemonIsLocal: boolean;
  /** The daemon's facts; a promise lets host reads start before the daemon has answered. */
  daemon: DaemonFacts | Unavailable | PromiseLike<DaemonFacts | Unavailable>;
  /** Whether `--host-root` was given; when absent, any root other than `/` counts as given. */
  hostRootExplicit?: boolean;
  /** The daemon's address, for the message when its host is not this machine. */
  daemonAddress?: string;
  /** The unix socket dockaudit connected to, when the daemon is local. */
  socketPath?: string;
  /** The auditing process's environment (`DOCKER_*` variables); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Where host tools are looked for; tests point this at fakes. */
  toolSearchPath?: readonly string[];
}

function unavailable(reason: string): Unavailable {
  return { unavailable: true, reason };
}

async function readFlag(context: HostContext, path: string): Promise<string | undefined> {
  const read = await context.fs.readText(path, 64);
  return read.status === 'read' ? read.text.trim() : undefined;
}

/** The host's name: its /etc/hostname under another root, the daemon's name for a remote daemon. */
async function hostNameOf(context: HostContext, options: HostCollectOptions): Promise<string> {
  if (!context.isThisMachine) {
    const name = await readFlag(context, '/etc/hostname');
    if (name) return name;
  }
  if (!options.daemonIsLocal) {
    const daemon = await options.daemon;
    if (!isUnavailable(daemon) && typeof daemon.info['Name'] === 'string') return daemon.info['Name'];
  }
  return hostname();
}

/** The socket the client used, from the options or DOCKER_HOST. */
function connectedSocket(options: HostCollectOptions, env: NodeJS.ProcessEnv): string | undefined {
  if (options.socketPath) return options.socketPath;
  const dockerHost = env['DOCKER_HOST'];
  return dockerHost?.startsWith('unix://') ? dockerHost.slice('unix://'.length) : undefined;
}

/** Adds owner and group names to every file fact, from the host's own account files. */
function nameOwners(files: HostSystemFacts['files'], users: UserEntry[] | Unavailable, groups: GroupEntry[] | Unavailable): void {
  const userNames = new Map((isUnavailable(users) ? [] : [...users].reverse()).map((user) => [user.uid, user.name]));
  const groupNames = new Map((isUnavailable(groups) ? [] : [...groups].reverse()).map((group) => [group.gid, group.name]));
  const name = (facts: HostSystemFacts['files'][string]): void => {
    if (facts.uid !== undefined && userNames.has(facts.uid)) facts.owner = userNames.get(facts.uid) as string;
    if (facts.gid !== undefined && groupNames.has(facts.gid)) facts.group = groupNames.get(facts.gid) as string;
    if (facts.target) name(facts.target);
  };
  for (const facts of Object.values(files)) name(facts);
}

/** Reads every host fact under the root. */
export async function collectSystem(options: HostCollectOptions, root: string): Promise<HostSystemFacts> {
  const context = new HostContext(root);
  const env = options.env ?? process.env;
  const tool: Partial<ToolOptions> = options.toolSearchPath ? { searchPath: options.toolSearchPath } : {};
  // The slow parts (apt's simulation, the firewall dump, /proc) run while the files are read.
  const osRelease = await collectOsRelease(context);
  const slow = Promise.all([collectPackageUpdates(context, osRelease, tool), collectIptables(context, tool), collectProcesses(context)]);
  // auditctl runs meanwhile too; its rules are read with the persistent ones further down.
  const liveAudit = liveRules(context, tool);
  liveAudit.catch(() => undefined);
  // Handled where it is awaited; this only keeps an early rejection from counting as unhandled.
  slow.catch(() => undefined);
  const users = await collectUsers(context);
  const groups = await collectGroups(context);
  const units = [];
  for (const name of DOCKER_UNITS) {
    const unit = await collectUnit(context, name);
    if (unit) units.push(unit);
  }
  // What does not depend on the daemon is read while its containers are still being inspected.
  const audit = await collectAudit(context, tool, liveAudit);
  const reboot = await context.look('/var/run/reboot-required');
  const mounts = await collectMounts(context);
  const sysctl = await collectSysctl(context);
  const environment = await collectEnvironment(context, env);
  const journald = await collectJournald(context);
  const syslogForwarding = await collectSyslogForwarding(context);
  const daemon = await options.daemon;
  const binaries = await locateBinaries(context, daemon, units);
  await lookAtDockerPaths(context, daemon, units, connectedSocket(options, env));
  const [packageUpdates, iptables, processes] = await slow;
  const system: HostSystemFacts = {
    root: context.fs.root,
    files: context.files,
    users,
    groups,
    mounts,
    audit,
    units,
    osRelease,
    rebootRequired: reboot.status === 'present',
    packageUpdates,
    sysctl,
    environment,
    processes,
    binaries,
    journald,
    syslogForwarding,
    iptables,
    notVisible: context.notVisible,
  };
  const sections = { users, groups, mounts: system.mounts, 'OS release': osRelease, processes: system.processes, journald: system.journald, 'firewall rules': system.iptables };
  for (const [name, value] of Object.entries(sections)) {
    if (isUnavailable(value)) context.note(`${name}: ${value.reason}`);
  }
  if (isUnavailable(system.packageUpdates)) context.note(`pending upgrades: ${system.packageUpdates.reason}`);
  context.finish();
  nameOwners(system.files, users, groups);
  return system;
}

/** Why the host root cannot be read at all, or undefined when it is a readable directory. */
async function rootProblem(root: string): Promise<string | undefined> {
  try {
    const stats = await stat(root);
    return stats.isDirectory() ? undefined : `the host root ${root} is not a directory`;
  } catch (error) {
    return `the host root ${root} cannot be read: ${errorReason(error)}`;
  }
}

/** Collects the host facts. */
export async function collectHost(options: HostCollectOptions): Promise<HostFacts> {
  const root = posix.resolve(options.hostRoot);
  const context = new HostContext(root);
  const explicit = options.hostRootExplicit ?? root !== '/';
  const apparmor = await readFlag(context, '/sys/module/apparmor/parameters/enabled');
  const selinux = await context.fs.exists('/sys/fs/selinux/enforce');
  const facts: HostFacts = {
    hostname: await hostNameOf(context, options),
    daemonIsLocal: options.daemonIsLocal,
    ...(apparmor !== undefined ? { apparmorEnabled: apparmor === 'Y' } : {}),
    ...(context.isThisMachine ? { selinuxEnabled: selinux } : {}),
  };
  if (!options.daemonIsLocal && !explicit) {
    const address = options.daemonAddress ?? 'the given address';
    return { ...facts, system: unavailable(`the daemon at ${address} is not on this machine; use --host-root to audit its filesystem`) };
  }
  const problem = await rootProblem(root);
  if (problem !== undefined) return { ...facts, system: unavailable(problem) };
  try {
    return { ...facts, system: await collectSystem(options, root) };
  } catch (error) {
    return { ...facts, system: unavailable(`host collection failed: ${describeError(error)}`) };
  }
}
