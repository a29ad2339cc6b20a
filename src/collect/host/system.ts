/**
 * The host's general facts around Docker: accounts, mounts, OS release and updates, kernel
 * settings, environment, processes, journald and syslog forwarding, firewall rules. What
 * only the running kernel can tell is read from /proc when it is live under the host root (the
 * host's own, or mounted with it), and from tools only when the host root is `/`.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readProcFile } from '../proc-file.js';
import type { GroupEntry, HostProcess, HostSystemFacts, MountEntry, UserEntry } from '../../snapshot/host.js';
import type { Unavailable } from '../../snapshot/types.js';
import { LIMITS, type HostContext } from './context.js';
import { applyIni, dockerAssignments, keptValue, parseFstab, parseGroup, parseMountinfo, parseOsRelease, parsePasswd } from './parsers.js';
import { runTool, type ToolOptions } from './tools.js';
import { ensurePrivateDirectory, readPrivateFile, writePrivateFile } from '../private-file.js';

function unavailable(reason: string): Unavailable {
  return { unavailable: true, reason };
}

function notThisMachine(context: HostContext, what: string): string {
  return `${what} are those of the machine dockaudit runs on, not of the host at ${context.fs.root}; not read`;
}

export async function collectUsers(context: HostContext): Promise<UserEntry[] | Unavailable> {
  const read = await context.read('/etc/passwd', LIMITS.accountBytes);
  if (read.status === 'absent') return unavailable('/etc/passwd is absent');
  if (read.status === 'unreadable') return unavailable(`/etc/passwd: ${read.reason}`);
  return parsePasswd(read.text);
}

export async function collectGroups(context: HostContext): Promise<GroupEntry[] | Unavailable> {
  const read = await context.read('/etc/group', LIMITS.accountBytes);
  if (read.status === 'absent') return unavailable('/etc/group is absent');
  if (read.status === 'unreadable') return unavailable(`/etc/group: ${read.reason}`);
  const nsswitch = await context.read('/etc/nsswitch.conf');
  if (nsswitch.status === 'read') {
    const sources = /^\s*group:\s*(.*)$/m.exec(nsswitch.text)?.[1]?.split(/\s+/) ?? [];
    const remote = sources.filter((source) => source !== '' && !['files', 'systemd', 'compat'].includes(source) && !source.startsWith('['));
    if (remote.length > 0) context.note(`groups may also come from ${remote.join(', ')} (nsswitch.conf); only /etc/group was read`);
  }
  return parseGroup(read.text);
}

/**
 * The mount table: this machine's own (/proc/self/mountinfo) for the root `/`; for another
 * root, the host's live table when its /proc is mounted there (HOSTROOT/proc/1/mountinfo),
 * else the mounts its /etc/fstab configures.
 */
export async function collectMounts(context: HostContext): Promise<MountEntry[] | Unavailable> {
  if (context.isThisMachine) {
    const read = await context.read('/proc/self/mountinfo', LIMITS.mountBytes);
    return read.status === 'read' ? parseMountinfo(read.text) : unavailable(`/proc/self/mountinfo: ${read.status === 'absent' ? 'absent' : read.reason}`);
  }
  const live = await context.fs.readText('/proc/1/mountinfo', LIMITS.mountBytes);
  if (live.status === 'read' && live.text.trim() !== '') return parseMountinfo(live.text);
  const fstab = await context.read('/etc/fstab');
  if (fstab.status === 'read') {
    context.note('mounts: the live mount table is not visible under the host root; mounts are those /etc/fstab configures');
    return parseFstab(fstab.text);
  }
  return unavailable(`no mount table under ${context.fs.root}: /proc/1/mountinfo is not there and /etc/fstab is ${fstab.status === 'absent' ? 'absent' : fstab.reason}`);
}

export async function collectOsRelease(context: HostContext): Promise<Record<string, string> | Unavailable> {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    const read = await context.read(path);
    if (read.status === 'read') return parseOsRelease(read.text);
    if (read.status === 'unreadable') return unavailable(`${path}: ${read.reason}`);
  }
  return unavailable('neither /etc/os-release nor /usr/lib/os-release exists');
}

/**
 * Pending upgrades from the package manager's local lists, never from the network: apt
 * simulates a full upgrade against the lists of the last `apt update` (this machine only);
 * elsewhere update-notifier's count is reported as the reason, since it names no package.
 */
export async function collectPackageUpdates(
  context: HostContext,
  osRelease: Record<string, string> | Unavailable,
  tool: Partial<ToolOptions>,
): Promise<HostSystemFacts['packageUpdates']> {
  const family = 'unavailable' in osRelease ? '' : `${osRelease['ID'] ?? ''} ${osRelease['ID_LIKE'] ?? ''}`;
  const isDebian = /\b(debian|ubuntu)\b/.test(family) || (await context.fs.exists('/var/lib/dpkg/status'));
  if (!isDebian) {
    return unavailable(`pending upgrades are only read from apt's local lists; ${family.trim() || 'this system'} is not apt-based`);
  }
  const listsUpdated = await newestModification(context, '/var/lib/apt/lists');
  if (context.isThisMachine) {
    const cacheKey = `${listsUpdated?.toISOString() ?? ''}|${(await context.fs.modified('/var/lib/dpkg/status'))?.toISOString() ?? ''}`;
    // Tests point the tool search path at fakes: their answers must not come from the cache.
    const cached = tool.searchPath ? undefined : await readAptCache(cacheKey);
    if (cached) return { manager: 'apt', pending: cached, ...(listsUpdated ? { listsUpdated: listsUpdated.toISOString() } : {}) };
    const run = await runTool(
      'apt-get',
      ['-s', '-o', 'Debug::NoLocking=1', '-o', 'Dir::Cache::pkgcache=', '-o', 'Dir::Cache::srcpkgcache=', 'dist-upgrade'],
      { timeoutMs: 60_000, maxBytes: 16 * 1024 * 1024, ...tool },
    );
    if (run.ok) {
      const pending = [...run.stdout.matchAll(/^Inst (\S+) \[/gm)].map((match) => match[1] as string).sort();
      if (!tool.searchPath) await writeAptCache(cacheKey, pending);
      return { manager: 'apt', pending, ...(listsUpdated ? { listsUpdated: listsUpdated.toISOString() } : {}) };
    }
    context.note(`pending upgrades: ${run.reason}`);
  }
  const notifier = await context.read('/var/lib/update-notifier/updates-available');
  if (notifier.status === 'read') {
    const counts = notifier.text.replace(/\s+/g, ' ').trim();
    return unavailable(`update-notifier says "${counts}" but does not name the packages`);
  }
  return unavailable(
    context.isThisMachine
      ? 'apt could not simulate an upgrade and no update-notifier record exists'
      : `apt's view of pending upgrades is only read on the machine dockaudit runs on, and ${context.fs.root} has no update-notifier record`,
  );
}

/**
 * apt's simulation takes seconds; its answer only changes when the package lists or the dpkg
 * database change, so it is kept in the user's cache directory under their modification times
 * (`$XDG_CACHE_HOME/dockaudit/apt-pending.json`: package names only, 0600 in a 0700 directory).
 */
function aptCacheRoot(): string {
  return join(process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'dockaudit');
}

async function readAptCache(key: string): Promise<string[] | undefined> {
  try {
    const cached = JSON.parse(await readPrivateFile(join(aptCacheRoot(), 'apt-pending.json'))) as { key?: unknown; pending?: unknown };
    return cached.key === key && Array.isArray(cached.pending) ? (cached.pending as string[]) : undefined;
  } catch {
    return undefined;
  }
}

async function writeAptCache(key: string, pending: string[]): Promise<void> {
  try {
    await ensurePrivateDirectory(aptCacheRoot());
    await writePrivateFile(join(aptCacheRoot(), 'apt-pending.json'), JSON.stringify({ key, pending }));
  } catch {
    // Without a cache the next audit only runs apt again.
  }
}

async function newestModification(context: HostContext, directory: string): Promise<Date | undefined> {
  const listing = await context.fs.list(directory, LIMITS.directoryEntries);
  if (listing.status !== 'read') return undefined;
  let newest: Date | undefined;
  for (const name of listing.names.filter((entry) => /Release$|Packages/.test(entry))) {
    const modified = await context.fs.modified(`${directory}/${name}`);
    if (modified && (!newest || modified > newest)) newest = modified;
  }
  return newest;
}

const SYSCTLS = ['kernel.pid_max', 'kernel.threads-max', 'vm.panic_on_oom', 'vm.overcommit_memory'] as const;

export async function collectSysctl(context: HostContext): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  if (!(await context.hostProcIsLive())) {
    context.note(notThisMachine(context, `kernel settings (${SYSCTLS.join(', ')})`));
    return values;
  }
  for (const name of SYSCTLS) {
    const read = await context.read(`/proc/sys/${name.replace(/\./g, '/')}`);
    if (read.status === 'read') values[name] = read.text.trim();
  }
  return values;
}

/** Files where a system-wide DOCKER_CONTENT_TRUST would be set. */
const ENVIRONMENT_FILES = ['/etc/environment', '/etc/profile', '/etc/default/docker'] as const;

export async function collectEnvironment(context: HostContext, env: NodeJS.ProcessEnv): Promise<HostSystemFacts['environment']> {
  const processValues: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('DOCKER_') && value !== undefined) processValues[name] = keptValue(name, value);
  }
  const files: { path: string; values: Record<string, string> }[] = [];
  for (const path of ENVIRONMENT_FILES) {
    const read = await context.read(path);
    if (read.status === 'read') files.push({ path, values: dockerAssignments(read.text) });
  }
  for (const file of await context.readDirectory('/etc/profile.d', (name) => name.endsWith('.sh'))) {
    files.push({ path: file.path, values: dockerAssignments(file.text) });
  }
  return { process: processValues, files };
}

const MAX_PROCESSES = 20_000;
const CMDLINE_BYTES = 8 * 1024;
const COMM_BYTES = 256;

export async function collectProcesses(context: HostContext): Promise<HostProcess[] | Unavailable> {
  if (!(await context.hostProcIsLive())) return unavailable(notThisMachine(context, 'processes under /proc'));
  const listing = await context.fs.list('/proc', 1_000_000);
  if (listing.status !== 'read') return unavailable(`/proc: ${listing.status === 'absent' ? 'absent' : listing.reason}`);
  const pids = listing.names.filter((name) => /^\d+$/.test(name)).map(Number).sort((a, b) => a - b);
  if (pids.length > MAX_PROCESSES) context.note(`processes: ${pids.length} running; only the first ${MAX_PROCESSES} were read`);
  const processes: HostProcess[] = [];
  const batch = 64;
  const chosen = pids.slice(0, MAX_PROCESSES);
  // Under the host root: its own /proc when the host's is mounted there (`-v /:/host:ro`).
  const proc = context.fs.root === '/' ? '/proc' : join(context.fs.root, 'proc');
  const commBuffer = Buffer.allocUnsafe(COMM_BYTES + 1);
  const cmdlineBuffer = Buffer.allocUnsafe(CMDLINE_BYTES + 1);
  for (let start = 0; start < chosen.length; start += batch) {
    // Lets the API's answers and the other reads go on between batches.
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const pid of chosen.slice(start, start + batch)) {
      // A longer file keeps its first bytes, as the caps say.
      const comm = readProcFile(`${proc}/${pid}/comm`, commBuffer)?.text;
      const cmdline = comm === undefined ? undefined : readProcFile(`${proc}/${pid}/cmdline`, cmdlineBuffer)?.text;
      // Kernel threads have no command line; processes that ended meanwhile have nothing.
      if (comm === undefined || cmdline === undefined || cmdline === '') continue;
      processes.push({ pid, comm: comm.trim(), args: cmdline.split('\0').filter((part) => part !== '').join(' ') });
    }
  }
  return processes;
}

const JOURNALD_DROP_IN_DIRECTORIES = ['/usr/lib/systemd/journald.conf.d', '/usr/local/lib/systemd/journald.conf.d', '/run/systemd/journald.conf.d', '/etc/systemd/journald.conf.d'];

/** journald's Storage= after its drop-ins, and whether /var/log/journal exists (what `auto` keys on). */
export async function collectJournald(context: HostContext): Promise<HostSystemFacts['journald']> {
  const main = await context.read('/etc/systemd/journald.conf');
  const vendor = main.status === 'absent' ? await context.read('/usr/lib/systemd/journald.conf') : main;
  const installed =
    vendor.status !== 'absent' ||
    (await context.fs.exists('/lib/systemd/systemd-journald')) ||
    (await context.fs.exists('/usr/lib/systemd/systemd-journald'));
  if (!installed) return unavailable('systemd-journald is not installed');
  const settings: Record<string, string> = {};
  if (vendor.status === 'read') applyIni(vendor.text, settings, 'Journal');
  // Drop-ins apply in file-name order; a later directory overrides a file of the same name.
  const dropIns = new Map<string, string>();
  for (const directory of JOURNALD_DROP_IN_DIRECTORIES) {
    for (const file of await context.readDirectory(directory, (name) => name.endsWith('.conf'))) {
      dropIns.set(file.path.slice(directory.length + 1), file.text);
    }
  }
  for (const name of [...dropIns.keys()].sort()) applyIni(dropIns.get(name) as string, settings, 'Journal');
  const journal = await context.look('/var/log/journal');
  return {
    ...(settings['Storage'] !== undefined ? { storage: settings['Storage'] } : {}),
    persistentDirectory: journal.status === 'present' && (journal.target ?? journal).type === 'directory',
  };
}

/** rsyslog: a selector whose action is `@host` (UDP) or `@@host` (TCP), or an omfwd action. */
const RSYSLOG_FORWARD = /^\S+\s+@{1,2}\S|type\s*=\s*"omfwd"/i;
/** syslog-ng: network drivers inside a destination block. */
const SYSLOG_NG_DRIVER = /\b(network|tcp6?|udp6?|syslog)\s*\(/;

function rsyslogForwards(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && RSYSLOG_FORWARD.test(line));
}

function syslogNgForwards(text: string): string[] {
  const found: string[] = [];
  let inDestination = false;
  let depth = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#')) continue;
    if (!inDestination && /^destination\b/.test(line)) {
      inDestination = true;
      depth = 0;
    }
    if (!inDestination) continue;
    if (SYSLOG_NG_DRIVER.test(line)) found.push(line);
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depth <= 0 && line.includes('}')) inDestination = false;
  }
  return found;
}

export async function collectSyslogForwarding(context: HostContext): Promise<string[]> {
  const lines: string[] = [];
  const rsyslog = await context.read('/etc/rsyslog.conf');
  if (rsyslog.status === 'read') lines.push(...rsyslogForwards(rsyslog.text));
  for (const file of await context.readDirectory('/etc/rsyslog.d', (name) => name.endsWith('.conf'))) lines.push(...rsyslogForwards(file.text));
  for (const directory of ['/etc/syslog-ng', '/etc/syslog-ng/conf.d']) {
    for (const file of await context.readDirectory(directory, (name) => name.endsWith('.conf'))) lines.push(...syslogNgForwards(file.text));
  }
  return lines;
}

export async function collectIptables(context: HostContext, tool: Partial<ToolOptions>): Promise<string | Unavailable> {
  if (!context.isThisMachine) return unavailable(notThisMachine(context, 'firewall rules'));
  const run = await runTool('iptables-save', [], { timeoutMs: 15_000, maxBytes: 16 * 1024 * 1024, ...tool });
  return run.ok ? run.stdout : unavailable(run.reason);
}
