/**
 * The processes of running containers read from /proc in one pass, when the daemon runs on
 * this machine: what `GET /containers/{id}/top` answers, without the daemon running `ps` over
 * the whole host once per container.
 *
 * A container is read here only when its init process (the inspect's State.Pid) is visible
 * under the /proc root and its cgroup names the container's id; its processes are those whose
 * cgroup is that cgroup or one below it (as `top` lists them). Anything this reader cannot
 * vouch for is left out of its answer, and the caller asks the API instead.
 */
import { readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessEntry } from '../snapshot/types.js';
import { HostFs } from './host/host-fs.js';
import { readProcFile, type ProcRead } from './proc-file.js';

/** Caps of the /proc pass, so a host with a hostile or huge process table cannot exhaust the auditor. */
export const PROCESS_LIMITS = {
  /** Bytes of one command line kept (the rest is cut and marked with `…`). */
  commandLineBytes: 16 * 1024,
  /** Processes of one container; a container with more is listed over the API instead. */
  perContainer: 10_000,
  /** Entries of the whole /proc; beyond it, every container is listed over the API instead. */
  hostProcesses: 200_000,
  /** Bytes of /etc/passwd read to name the users. */
  passwdBytes: 8 * 1024 * 1024,
} as const;

/** A running container as the inspect tells it. */
export interface RunningContainer {
  id: string;
  /** State.Pid: its init process, in the daemon's PID namespace. */
  pid: number;
}

export interface ProcessReadOptions {
  /** Where /proc is: `/proc`, or the host's under the host root. Candidates in order; the first that shows the containers is used. */
  procRoots: string[];
  /** uid → user name, as `ps` would show it on the daemon's host. */
  users: ReadonlyMap<number, string>;
  /** The collection's deadline: the pass stops and throws its reason once it fires. */
  deadline?: AbortSignal;
  limits?: Partial<typeof PROCESS_LIMITS>;
}

/** Bytes of a /proc/<pid>/cgroup or status file (a few hundred in practice). */
const SMALL_FILE_BYTES = 16 * 1024;
/** Processes handled between two yields to the event loop (and deadline checks). */
const BATCH = 512;

/** `hierarchy-id:controllers` and path of each line of /proc/<pid>/cgroup. */
function cgroupLines(text: string): { hierarchy: string; path: string }[] {
  return text.split('\n').flatMap((line) => {
    const second = line.indexOf(':', line.indexOf(':') + 1);
    return second === -1 ? [] : [{ hierarchy: line.slice(0, second), path: line.slice(second + 1) }];
  });
}

/**
 * The container's cgroup, as a lookup key: the first hierarchy whose path names the id
 * (`/docker/<id>`, `/system.slice/docker-<id>.scope`, `…/<id>` under a cgroup parent), cut after
 * that name so processes in cgroups below it belong too.
 */
function containerCgroupKey(cgroupText: string, id: string): string | undefined {
  for (const { hierarchy, path } of cgroupLines(cgroupText)) {
    const names = path.split('/');
    const index = names.findIndex((name) => name.includes(id));
    if (index !== -1) return `${hierarchy}\0${names.slice(0, index + 1).join('/')}`;
  }
  return undefined;
}

/**
 * The containers a process belongs to: those whose cgroup is its cgroup or an ancestor of it
 * (a container nested under another's cgroup shows in both, as `top` lists them).
 */
function ownersOf(cgroupText: string, owners: ReadonlyMap<string, string>, hierarchies: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const { hierarchy, path } of cgroupLines(cgroupText)) {
    if (!hierarchies.has(hierarchy)) continue;
    let end = path.indexOf('/', 1);
    for (;;) {
      const owner = owners.get(`${hierarchy}\0${end === -1 ? path : path.slice(0, end)}`);
      if (owner !== undefined && !found.includes(owner)) found.push(owner);
      if (end === -1) break;
      end = path.indexOf('/', end + 1);
    }
  }
  return found;
}

/** The fields of /proc/<pid>/status the entry needs. */
function statusFields(text: string): { name: string; state: string; uid: number } | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon !== -1) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  // Uid: real, effective, saved, filesystem; `ps -ef` shows the effective one.
  const uid = Number(fields.get('Uid')?.split(/\s+/)[1]);
  if (!Number.isInteger(uid)) return undefined;
  return { name: fields.get('Name') ?? '', state: fields.get('State')?.charAt(0) ?? '', uid };
}

/** The command as `ps` shows it: the arguments joined by spaces, or `[name]` when there are none. */
function commandOf(cmdline: NonNullable<ProcRead>, status: { name: string; state: string }): string {
  const args = cmdline.text.replace(/\0+$/, '').replaceAll('\0', ' ');
  if (args === '') return status.state === 'Z' ? `[${status.name}] <defunct>` : `[${status.name}]`;
  return cmdline.truncated ? `${args}…` : args;
}

/** Whether /proc at `procRoot` hides other users' processes (mounted with hidepid), so a pass could miss some. */
function hidesProcesses(procRoot: string): boolean {
  let real: string;
  try {
    real = realpathSync(procRoot);
  } catch {
    return true;
  }
  const mountinfo = readProcFile('/proc/self/mountinfo', Buffer.allocUnsafe(16 * 1024 * 1024 + 1));
  if (mountinfo === undefined) return true;
  return mountinfo.text.split('\n').some((line) => {
    const fields = line.split(' ');
    return fields[4] === real && / - proc /.test(line) && /hidepid=(?!0\b|off\b)/.test(line);
  });
}

/** Yields to the event loop, then throws when the deadline has passed. */
async function checkpoint(deadline: AbortSignal | undefined): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (deadline?.aborted) throw deadline.reason instanceof Error ? deadline.reason : new Error(String(deadline.reason));
}

/**
 * The processes of each running container this machine's /proc shows, by container id, in
 * PID order. A container left out (not visible, its init gone, more processes than the cap)
 * must be listed another way. Throws the deadline's reason when it fires during the pass.
 */
export async function readContainerProcesses(containers: RunningContainer[], options: ProcessReadOptions): Promise<Map<string, ProcessEntry[]>> {
  const limits = { ...PROCESS_LIMITS, ...options.limits };
  const small = Buffer.alloc(SMALL_FILE_BYTES + 1);
  const found = new Map<string, ProcessEntry[]>();
  if (containers.length === 0) return found;

  // The first /proc root under which a container's init process sits in that container's cgroup.
  let procRoot: string | undefined;
  const owners = new Map<string, string>();
  const hierarchies = new Set<string>();
  for (const candidate of options.procRoots) {
    for (const container of containers) {
      if (!Number.isInteger(container.pid) || container.pid <= 0) continue;
      const cgroup = readProcFile(join(candidate, String(container.pid), 'cgroup'), small);
      const key = cgroup && !cgroup.truncated ? containerCgroupKey(cgroup.text, container.id) : undefined;
      if (key === undefined) continue;
      owners.set(key, container.id);
      hierarchies.add(key.slice(0, key.indexOf('\0')));
    }
    if (owners.size > 0) {
      procRoot = candidate;
      break;
    }
  }
  if (procRoot === undefined || hidesProcesses(procRoot)) return found;

  let names: string[];
  try {
    names = readdirSync(procRoot);
  } catch {
    return found;
  }
  const pids = names.filter((name) => /^\d+$/.test(name)).map(Number).sort((a, b) => a - b);
  if (pids.length > limits.hostProcesses) return found;

  const commandBuffer = Buffer.alloc(limits.commandLineBytes + 1);
  const overflowed = new Set<string>();
  for (let start = 0; start < pids.length; start += BATCH) {
    await checkpoint(options.deadline);
    for (const pid of pids.slice(start, start + BATCH)) {
      const base = join(procRoot, String(pid));
      const cgroup = readProcFile(join(base, 'cgroup'), small);
      if (cgroup === undefined) continue;
      const processOwners = ownersOf(cgroup.text, owners, hierarchies).filter((owner) => !overflowed.has(owner));
      if (processOwners.length === 0) continue;
      const statusText = readProcFile(join(base, 'status'), small);
      const status = statusText && statusFields(statusText.text);
      const cmdline = readProcFile(join(base, 'cmdline'), commandBuffer);
      // Gone between the reads: it is not running any more, as `top` would not list it.
      if (status === undefined || cmdline === undefined) continue;
      const entry: ProcessEntry = { user: options.users.get(status.uid) ?? String(status.uid), pid: String(pid), command: commandOf(cmdline, status) };
      for (const owner of processOwners) {
        const list = found.get(owner) ?? [];
        if (list.length >= limits.perContainer) {
          overflowed.add(owner);
          found.delete(owner);
          continue;
        }
        list.push(entry);
        found.set(owner, list);
      }
    }
  }
  await checkpoint(options.deadline);
  // A container whose init process was not seen in the pass stopped meanwhile, or is not what it seemed.
  for (const container of containers) {
    const list = found.get(container.id);
    if (list && !list.some((entry) => entry.pid === String(container.pid))) found.delete(container.id);
  }
  return found;
}

/** uid → name from the text of an /etc/passwd (first entry wins, as NSS answers). */
export function usersFromPasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    const uid = fields[2];
    if (fields.length < 7 || uid === undefined || !/^\d+$/.test(uid) || line.startsWith('#')) continue;
    if (!users.has(Number(uid))) users.set(Number(uid), fields[0] as string);
  }
  return users;
}

/** The user names of the host whose root is `hostRoot`; none when its passwd cannot be read (uids are shown instead). */
export async function readUsers(hostRoot: string, maxBytes: number = PROCESS_LIMITS.passwdBytes): Promise<Map<number, string>> {
  const read = await new HostFs(hostRoot).readText('/etc/passwd', maxBytes);
  return read.status === 'read' && !read.truncated ? usersFromPasswd(read.text) : new Map();
}
