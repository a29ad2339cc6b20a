/**
 * The systemd units of Docker: where their unit files and drop-ins are, and the directives
 * they add up to. Read from the unit directories, not from systemctl, so a host tree under
 * --host-root is read the same way as this machine.
 */
import type { SystemdUnit } from '../../snapshot/host.js';
import type { HostContext } from './context.js';
import { applyIni } from './parsers.js';

/** Unit directories, highest precedence first, as systemd searches them for system units. */
export const UNIT_DIRECTORIES = [
  '/etc/systemd/system',
  '/run/systemd/system',
  '/usr/local/lib/systemd/system',
  '/usr/lib/systemd/system',
  '/lib/systemd/system',
] as const;

export const DOCKER_UNITS = ['docker.service', 'docker.socket', 'containerd.service'] as const;

const UNIT_BYTES = 256 * 1024;

/**
 * One unit: every candidate unit file and drop-in is looked at (their owners and modes are
 * facts of their own); the first unit file found is the fragment; a unit file linked to
 * /dev/null masks the unit (`fragmentPath` is then `/dev/null`).
 */
export async function collectUnit(context: HostContext, name: string): Promise<SystemdUnit | undefined> {
  let fragmentPath: string | undefined;
  for (const directory of UNIT_DIRECTORIES) {
    const facts = await context.look(`${directory}/${name}`);
    if (fragmentPath !== undefined || facts.status !== 'present') continue;
    const resolved = facts.target?.path ?? facts.path;
    if (resolved === '/dev/null') fragmentPath = '/dev/null';
    else if ((facts.target ?? facts).type === 'file') fragmentPath = facts.path;
  }
  const dropInByName = new Map<string, string>();
  for (const directory of UNIT_DIRECTORIES) {
    const dropInDirectory = `${directory}/${name}.d`;
    const facts = await context.look(dropInDirectory);
    if (facts.status !== 'present') continue;
    const listing = await context.list(dropInDirectory);
    if (listing.status !== 'read') continue;
    for (const entry of listing.names.filter((file) => file.endsWith('.conf'))) {
      const path = `${dropInDirectory}/${entry}`;
      await context.look(path);
      // A drop-in in a higher-precedence directory hides one of the same name below it.
      if (!dropInByName.has(entry)) dropInByName.set(entry, path);
    }
  }
  if (fragmentPath === undefined && dropInByName.size === 0) return undefined;
  const dropIns = [...dropInByName.keys()].sort().map((entry) => dropInByName.get(entry) as string);
  const directives: Record<string, string> = {};
  for (const path of [fragmentPath, ...dropIns]) {
    if (path === undefined || path === '/dev/null') continue;
    const read = await context.read(path, UNIT_BYTES);
    if (read.status === 'read') applyIni(read.text, directives);
  }
  return { name, ...(fragmentPath !== undefined ? { fragmentPath } : {}), dropIns, directives };
}

/** The first word of ExecStart without systemd's prefixes (`-`, `@`, `+`, `!`, `:`). */
export function execStartBinary(unit: SystemdUnit | undefined): string | undefined {
  const execStart = unit?.directives['ExecStart'];
  const first = execStart?.trim().split(/\s+/)[0]?.replace(/^[-@+!:]+/, '');
  return first !== undefined && first.startsWith('/') ? first : undefined;
}
