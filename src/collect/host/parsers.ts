/**
 * Parsers for the host's plain-text system files: accounts, mount tables, os-release,
 * systemd unit files and KEY=value environment files. Pure, so tests feed them text.
 */
import type { GroupEntry, MountEntry, UserEntry } from '../../snapshot/host.js';

function nonComment(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
}

/** `/etc/passwd`: name:password:uid:gid:gecos:home:shell. Malformed lines are skipped. */
export function parsePasswd(text: string): UserEntry[] {
  return nonComment(text).flatMap((line) => {
    const fields = line.split(':');
    if (fields.length < 7 || !/^\d+$/.test(fields[2] ?? '') || !/^\d+$/.test(fields[3] ?? '')) return [];
    return [{ name: fields[0] as string, uid: Number(fields[2]), gid: Number(fields[3]), home: fields[5] as string, shell: fields[6] as string }];
  });
}

/** `/etc/group`: name:password:gid:member,member. Malformed lines are skipped. */
export function parseGroup(text: string): GroupEntry[] {
  return nonComment(text).flatMap((line) => {
    const fields = line.split(':');
    if (fields.length < 4 || !/^\d+$/.test(fields[2] ?? '')) return [];
    const members = (fields[3] ?? '').split(',').map((member) => member.trim()).filter((member) => member !== '');
    return [{ name: fields[0] as string, gid: Number(fields[2]), members }];
  });
}

/** Mount tables escape space, tab, newline and backslash as `\040`-style octal. */
function unescapeOctal(value: string): string {
  return value.replace(/\\([0-7]{3})/g, (_whole, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/**
 * `/proc/<pid>/mountinfo`: id parent major:minor root mount-point options [optional…] - type source super-options.
 */
export function parseMountinfo(text: string): MountEntry[] {
  return text.split('\n').flatMap((line) => {
    const fields = line.trim().split(' ');
    const separator = fields.indexOf('-');
    if (separator < 6 || fields.length < separator + 3) return [];
    return [
      {
        mountPoint: unescapeOctal(fields[4] as string),
        source: unescapeOctal(fields[separator + 2] as string),
        fsType: fields[separator + 1] as string,
        options: fields[5] as string,
        device: fields[2] as string,
        fsRoot: unescapeOctal(fields[3] as string),
      },
    ];
  });
}

/** `/etc/fstab`: source mount-point type options. Swap and `none` mount points are skipped. */
export function parseFstab(text: string): MountEntry[] {
  return nonComment(text).flatMap((line) => {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 3) return [];
    const mountPoint = unescapeOctal(fields[1] as string);
    if (!mountPoint.startsWith('/') || fields[2] === 'swap') return [];
    return [{ mountPoint, source: unescapeOctal(fields[0] as string), fsType: fields[2] as string, options: fields[3] ?? 'defaults' }];
  });
}

/** A shell-style value: quotes removed, an unquoted trailing comment dropped. */
export function unquote(raw: string): string {
  const value = raw.trim();
  const quoted = /^(["'])(.*)\1$/s.exec(value);
  if (quoted) return quoted[2] as string;
  return value.replace(/\s+#.*$/, '');
}

/** `/etc/os-release`: KEY=value lines. */
export function parseOsRelease(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of nonComment(text)) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) values[match[1] as string] = unquote(match[2] as string);
  }
  return values;
}

/** Names of variables whose values are credentials, kept out of snapshots. */
const SECRET_NAME = /PASS|TOKEN|SECRET|AUTH|CREDENTIAL|PRIVATE/i;

/** A variable's value as the snapshot keeps it: credentials replaced by a marker. */
export function keptValue(name: string, value: string): string {
  return SECRET_NAME.test(name) ? '(redacted)' : value;
}

/** `DOCKER_*` assignments in a shell or environment file (`export DOCKER_X=1`, `DOCKER_X="1"`). */
export function dockerAssignments(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of nonComment(text)) {
    const match = /^\s*(?:export\s+)?(DOCKER_[A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match) values[match[1] as string] = keptValue(match[1] as string, unquote(match[2] as string));
  }
  return values;
}

/**
 * The `KEY=value` lines of systemd-style INI text (unit files, journald.conf), continuation
 * lines joined, applied in order over `into` so that a later file wins, as systemd merges them.
 * `section` limits the keys to one `[Section]`.
 */
export function applyIni(text: string, into: Record<string, string>, section?: string): void {
  let current = '';
  const joined = text.replace(/\\\r?\n/g, ' ');
  for (const raw of joined.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = header[1] as string;
      continue;
    }
    if (section !== undefined && current !== section) continue;
    const separator = line.indexOf('=');
    if (separator <= 0) continue;
    into[line.slice(0, separator).trim()] = line.slice(separator + 1).trim();
  }
}
