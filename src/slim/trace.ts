/**
 * Parses the output of `strace -f -y` (one file, every line prefixed with the pid) into what
 * `dockaudit slim` needs: the syscall names used, the files touched and how, the socket
 * families opened, and the capabilities that privileged calls which succeeded imply.
 *
 * Pure: text in, an Observation out. The tracer starts tracing its child at the child's
 * execve, so nothing the tracer did itself is in the text.
 */
import { posix } from 'node:path';
import { CAPABILITY_CALLS, FAMILIES, ID_CALLS, ID_GETTERS, PATH_CALLS, SOCKET_TYPES, openUses, type PathArgument } from './syscalls.js';

/** How a file was used. */
export type FileAccess = 'read' | 'write' | 'exec' | 'mmap' | 'stat' | 'list';

export interface Observation {
  /** Every syscall name seen, sorted. */
  syscalls: string[];
  /** Absolute, normalised paths, each with how it was used (sorted). */
  files: Map<string, Set<FileAccess>>;
  /** Paths passed to execve/execveat, in order, without repeats. */
  executed: string[];
  /** Socket families and types opened: `inet stream`, `unix dgram`, … (AppArmor's words). */
  network: string[];
  /** Capabilities implied by privileged calls that succeeded (`chown`, `setuid`, …). */
  capabilities: string[];
  /** Calls strace named by number only (`syscall_0x1b6`): a profile cannot name them. */
  unnamedSyscalls: string[];
  /** Lines that did not look like strace output, for diagnostics. */
  unparsedLines: number;
}

interface Call {
  pid: number;
  name: string;
  args: string[];
  /** The text after `=`: `0`, `-1 ENOENT (No such file or directory)`, `3</etc/passwd>`, `?`. */
  result: string;
}

const LINE = /^(\d+)\s+(.*)$/;
const UNFINISHED = /^([a-z0-9_]+)\((.*?)\s*<unfinished \.\.\.>$/;
const RESUMED = /^<\.\.\. ([a-z0-9_]+) resumed>(.*)$/;
const CALL_START = /^([a-z0-9_]+)\(/;

/** Splits `a, {b, c}, "d,e"` at top-level commas; also returns where the argument list ends. */
export function splitArguments(text: string, start: number): { args: string[]; end: number } {
  const args: string[] = [];
  let depth = 0;
  let current = '';
  let index = start;
  for (; index < text.length; index += 1) {
    const character = text[index] as string;
    if (character === '"') {
      let end = index + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      current += text.slice(index, end + 1);
      index = end;
      continue;
    }
    if (character === '(' || character === '[' || character === '{') depth += 1;
    else if (character === ']' || character === '}') depth -= 1;
    else if (character === ')') {
      if (depth === 0) break;
      depth -= 1;
    } else if (character === '<' && depth === 0 && /[0-9A-Z_]$/.test(current)) {
      // A file descriptor annotated by -y: `3</etc/passwd>`, `AT_FDCWD</>`; may hold commas or brackets.
      const close = text.indexOf('>', index);
      if (close > 0) {
        current += text.slice(index, close + 1);
        index = close;
        continue;
      }
    } else if (character === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
      continue;
    }
    current += character;
  }
  if (current.trim() !== '') args.push(current.trim());
  return { args, end: index };
}

function parseCall(pid: number, text: string): Call | undefined {
  const start = CALL_START.exec(text);
  if (!start) return undefined;
  const name = start[1] as string;
  const { args, end } = splitArguments(text, name.length + 1);
  const equals = text.indexOf('=', end);
  const result = equals >= 0 ? text.slice(equals + 1).trim() : '';
  return { pid, name, args, result };
}

/** Decodes a C string literal as strace prints it (`"a\x20b"`); undefined when `value` is not one. */
export function decodeString(value: string | undefined): string | undefined {
  if (value === undefined || !value.startsWith('"')) return undefined;
  const close = value.lastIndexOf('"');
  if (close <= 0) return undefined;
  const body = value.slice(1, close);
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, a: 7, b: 8, '"': 34, '\\': 92, "'": 39 };
  for (let index = 0; index < body.length; index += 1) {
    const character = body[index] as string;
    if (character !== '\\') {
      for (const byte of Buffer.from(character, 'utf8')) bytes.push(byte);
      continue;
    }
    const next = body[index + 1] ?? '';
    if (next === 'x') {
      bytes.push(Number.parseInt(body.slice(index + 2, index + 4), 16));
      index += 3;
    } else if (/[0-7]/.test(next)) {
      const digits = /^[0-7]{1,3}/.exec(body.slice(index + 1))?.[0] ?? '0';
      bytes.push(Number.parseInt(digits, 8));
      index += digits.length;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      index += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The path of an fd annotated by -y (`3</bin>`, `AT_FDCWD</>`), when it is a file. */
export function fdPath(value: string | undefined): string | undefined {
  const match = /^(?:-?\d+|AT_FDCWD)<(.*)>$/.exec(value ?? '');
  const path = match?.[1];
  return path !== undefined && path.startsWith('/') ? path : undefined;
}

function succeeded(call: Call): boolean {
  return call.result !== '' && call.result !== '?' && !call.result.startsWith('-1 ');
}

export interface ParseOptions {
  /** The process's first working directory (the image's WorkingDir, `/` when empty). */
  workingDir?: string;
}

/** Parses `strace -f -y` output into an Observation. */
export function parseTrace(text: string, options: ParseOptions = {}): Observation {
  const syscalls = new Set<string>();
  const unnamed = new Set<string>();
  const files = new Map<string, Set<FileAccess>>();
  const executed: string[] = [];
  const network = new Set<string>();
  const capabilities = new Set<string>();
  const pending = new Map<number, { name: string; args: string }>();
  const cwd = new Map<number, string>();
  const links = new Map<string, string>();
  const knownIds = { uid: new Set<number>(), gid: new Set<number>() };
  const idChanges: { capability: string; kind: 'uid' | 'gid'; ids: number[] }[] = [];
  const initialDir = options.workingDir && options.workingDir !== '' ? posix.normalize(options.workingDir) : '/';
  let unparsedLines = 0;

  const record = (path: string, use: FileAccess) => {
    const uses = files.get(path) ?? new Set<FileAccess>();
    uses.add(use);
    files.set(path, uses);
  };
  const cwdOf = (pid: number) => cwd.get(pid) ?? initialDir;

  const resolve = (call: Call, argument: PathArgument): string | undefined => {
    const raw = decodeString(call.args[argument.path]);
    if (raw === undefined) return undefined;
    if (raw === '') {
      // AT_EMPTY_PATH: the call acts on the dirfd's own file.
      return argument.dirfd !== undefined ? fdPath(call.args[argument.dirfd]) : undefined;
    }
    if (raw.startsWith('/')) return posix.normalize(raw);
    const base = argument.dirfd !== undefined ? (fdPath(call.args[argument.dirfd]) ?? cwdOf(call.pid)) : cwdOf(call.pid);
    return posix.normalize(posix.join(base, raw));
  };

  const handle = (call: Call) => {
    if (/^syscall_0x[0-9a-f]+$/.test(call.name)) {
      unnamed.add(call.name);
      return;
    }
    syscalls.add(call.name);
    // -y shows the working directory on every AT_FDCWD: the cheapest way to follow it.
    const atCwd = call.args.map((argument) => /^AT_FDCWD<(\/.*)>$/.exec(argument)?.[1]).find((path) => path !== undefined);
    if (atCwd !== undefined) cwd.set(call.pid, atCwd);
    const ok = succeeded(call);

    for (const argument of PATH_CALLS[call.name] ?? []) {
      const path = resolve(call, argument);
      if (path === undefined) continue;
      const uses: FileAccess[] = argument.use === 'open' ? openUses(call.args[argument.flags ?? -1] ?? '') : [argument.use];
      for (const use of uses) record(path, use);
      if (argument.use === 'exec' && !executed.includes(path)) executed.push(path);
      if (argument.use === 'open' && ok && /O_DIRECTORY/.test(call.args[argument.flags ?? -1] ?? '')) record(path, 'list');
    }

    switch (call.name) {
      case 'chdir': {
        const path = resolve(call, { path: 0, use: 'stat' });
        if (ok && path !== undefined) cwd.set(call.pid, path);
        break;
      }
      case 'fchdir': {
        const path = fdPath(call.args[0]);
        if (ok && path !== undefined) cwd.set(call.pid, path);
        break;
      }
      case 'clone':
      case 'clone3':
      case 'fork':
      case 'vfork': {
        const child = Number.parseInt(call.result, 10);
        if (ok && child > 0) cwd.set(child, cwdOf(call.pid));
        break;
      }
      case 'readlink':
      case 'readlinkat': {
        // What a link points to, as the call read it: `/proc/self/exe` → `/bin/busybox`.
        const offset = call.name === 'readlink' ? 0 : 1;
        const link = resolve(call, { path: offset, use: 'read', ...(offset === 1 ? { dirfd: 0 } : {}) });
        const target = decodeString(call.args[offset + 1]);
        if (ok && link !== undefined && target !== undefined && target.startsWith('/')) links.set(link, posix.normalize(target));
        break;
      }
      case 'getdents':
      case 'getdents64': {
        const path = fdPath(call.args[0]);
        if (path !== undefined) record(path, 'list');
        break;
      }
      case 'mmap': {
        const path = fdPath(call.args[4]);
        if (path !== undefined && /PROT_EXEC/.test(call.args[2] ?? '')) record(path, 'mmap');
        break;
      }
      case 'socket': {
        const family = FAMILIES[call.args[0] ?? ''];
        const type = Object.entries(SOCKET_TYPES).find(([flag]) => (call.args[1] ?? '').includes(flag))?.[1];
        if (family !== undefined) network.add(type !== undefined && family !== 'netlink' ? `${family} ${type}` : family);
        if (ok && (family === 'packet' || type === 'raw')) capabilities.add('net_raw');
        break;
      }
      case 'bind':
      case 'connect': {
        const address = call.args[1] ?? '';
        const port = /sin6?_port=htons\((\d+)\)/.exec(address)?.[1];
        if (call.name === 'bind' && ok && port !== undefined && Number(port) > 0 && Number(port) < 1024) capabilities.add('net_bind_service');
        const socketPath = decodeString(/sun_path="(?:[^"\\]|\\.)*"/.exec(address)?.[0].slice('sun_path='.length));
        if (socketPath !== undefined && socketPath.startsWith('/')) record(posix.normalize(socketPath), 'write');
        break;
      }
      case 'mknod':
      case 'mknodat':
        if (ok && /S_IF(CHR|BLK)/.test(call.args.join(','))) capabilities.add('mknod');
        break;
      default:
        break;
    }
    const capability = CAPABILITY_CALLS[call.name];
    if (capability !== undefined && ok) capabilities.add(capability);
    const getter = ID_GETTERS[call.name];
    if (getter !== undefined && /^\d+$/.test(call.result)) knownIds[getter].add(Number(call.result));
    const idCall = ID_CALLS[call.name];
    if (idCall !== undefined && ok) idChanges.push({ ...idCall, ids: call.args.map(Number).filter((id) => Number.isInteger(id) && id >= 0) });
  };

  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const match = LINE.exec(line);
    if (!match) {
      unparsedLines += 1;
      continue;
    }
    const pid = Number(match[1]);
    const rest = (match[2] as string).trimEnd();
    if (rest.startsWith('---') || rest.startsWith('+++')) continue; // signals and exits
    const unfinished = UNFINISHED.exec(rest);
    if (unfinished) {
      pending.set(pid, { name: unfinished[1] as string, args: unfinished[2] as string });
      continue;
    }
    const resumed = RESUMED.exec(rest);
    let call: Call | undefined;
    if (resumed) {
      const started = pending.get(pid);
      pending.delete(pid);
      const name = resumed[1] as string;
      const head = started !== undefined && started.name === name ? started.args : '';
      call = parseCall(pid, `${name}(${head}${resumed[2] as string}`);
    } else {
      call = parseCall(pid, rest);
    }
    if (call) handle(call);
    else unparsedLines += 1;
  }
  // A call still unfinished when the trace ended (the process was stopped inside it) was made.
  for (const [pid, started] of pending) {
    const call = parseCall(pid, `${started.name}(${started.args})`);
    if (call) handle(call);
  }

  for (const change of idChanges) {
    if (change.ids.some((id) => !knownIds[change.kind].has(id))) capabilities.add(change.capability);
  }
  // A link that was executed (busybox re-executing /proc/self/exe) executed its target.
  for (const [link, target] of links) {
    const uses = files.get(link);
    if (uses?.has('exec')) {
      record(target, 'exec');
      if (!executed.includes(target)) executed.push(target);
    }
  }
  return {
    syscalls: [...syscalls].sort(),
    files: new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    executed,
    network: [...network].sort(),
    capabilities: [...capabilities].sort(),
    unnamedSyscalls: [...unnamed].sort(),
    unparsedLines,
  };
}
