/**
 * Programs that run another program (`sudo apt-get …`, `env A=1 pip …`, `tini -- sshd`):
 * which word is the program that really runs, so rules match `apt-get` however it is called.
 */

interface WrapperSpec {
  /** Options that take the next word as their value. */
  valued: ReadonlySet<string>;
  /** Operands consumed before the wrapped program (gosu USER, timeout DURATION, chroot DIR). */
  operands: number;
  /** `NAME=value` words after the options are environment assignments (sudo, env). */
  assignments?: boolean;
  /** Options after which no program follows (`command -v name` only looks the name up). */
  stops?: ReadonlySet<string>;
}

const none: ReadonlySet<string> = new Set();

const WRAPPERS: Readonly<Record<string, WrapperSpec>> = {
  sudo: { valued: new Set(['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '-T', '-R']), operands: 0, assignments: true, stops: new Set(['-l', '-v', '-k', '-K', '-V', '-e']) },
  doas: { valued: new Set(['-u', '-C']), operands: 0 },
  env: { valued: new Set(['-u', '-C', '-S', '--unset', '--chdir', '--split-string']), operands: 0, assignments: true },
  nohup: { valued: none, operands: 0 },
  time: { valued: new Set(['-f', '-o', '--format', '--output']), operands: 0 },
  exec: { valued: new Set(['-a']), operands: 0 },
  command: { valued: none, operands: 0, stops: new Set(['-v', '-V']) },
  builtin: { valued: none, operands: 0 },
  nice: { valued: new Set(['-n', '--adjustment']), operands: 0 },
  ionice: { valued: new Set(['-c', '-n', '--class', '--classdata']), operands: 0 },
  stdbuf: { valued: new Set(['-i', '-o', '-e', '--input', '--output', '--error']), operands: 0 },
  timeout: { valued: new Set(['-s', '-k', '--signal', '--kill-after']), operands: 1 },
  chroot: { valued: new Set(['--userspec', '--groups']), operands: 1 },
  gosu: { valued: none, operands: 1 },
  'su-exec': { valued: none, operands: 1 },
  setpriv: { valued: new Set(['--reuid', '--regid', '--groups', '--inh-caps', '--bounding-set']), operands: 0 },
  setsid: { valued: none, operands: 0 },
  flock: { valued: new Set(['-w', '-E', '--timeout', '--conflict-exit-code']), operands: 1 },
  xargs: { valued: new Set(['-I', '-n', '-P', '-L', '-s', '-d', '-E', '-a', '--max-args', '--max-procs', '--delimiter', '--arg-file']), operands: 0 },
  tini: { valued: new Set(['-p', '-e']), operands: 0 },
  'dumb-init': { valued: new Set(['-r', '--rewrite']), operands: 0 },
  catatonit: { valued: none, operands: 0 },
  eatmydata: { valued: none, operands: 0 },
  unbuffer: { valued: none, operands: 0 },
};

/** `/usr/bin/apt-get` → `apt-get`. */
export function programName(word: string): string {
  const slash = word.lastIndexOf('/');
  return slash >= 0 ? word.slice(slash + 1) : word;
}

export interface Unwrapped {
  /** Index of the program's word; -1 when the words only wrap nothing. */
  index: number;
  wrappers: string[];
  /** Assignments given to `env` or `sudo` (`env NODE_TLS_REJECT_UNAUTHORIZED=0 npm …`). */
  assignments: { name: string; index: number }[];
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

/**
 * Strips wrapper programs from `words` (values) starting at `start`. Only literal words are
 * recognised as wrappers: `$SUDO apt-get` is left alone.
 */
export function unwrapProgram(words: readonly string[], literal: readonly boolean[], start: number): Unwrapped {
  const wrappers: string[] = [];
  const assignments: { name: string; index: number }[] = [];
  let index = start;
  while (index < words.length) {
    const name = programName(words[index] ?? '');
    const spec = literal[index] ? WRAPPERS[name] : undefined;
    if (spec === undefined) break;
    let cursor = index + 1;
    let stopped = false;
    while (cursor < words.length) {
      const word = words[cursor] ?? '';
      if (word === '--') {
        cursor += 1;
        break;
      }
      if (!word.startsWith('-') || word === '-') break;
      if (spec.stops?.has(word)) {
        stopped = true;
        break;
      }
      cursor += spec.valued.has(word) ? 2 : 1;
    }
    if (stopped) break;
    if (spec.assignments) {
      for (let match = ASSIGNMENT.exec(words[cursor] ?? ''); match && cursor < words.length; match = ASSIGNMENT.exec(words[cursor] ?? '')) {
        assignments.push({ name: match[1] as string, index: cursor });
        cursor += 1;
      }
    }
    cursor += spec.operands;
    if (cursor >= words.length) break;
    wrappers.push(name);
    index = cursor;
  }
  return { index: index < words.length ? index : -1, wrappers, assignments };
}

export const POSIX_SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'busybox']);

/**
 * The script a shell runs from its arguments: `sh -c 'script'`, `bash -euo pipefail -c 'script'`,
 * `su - app -c 'script'`. Returns the index in `args` of the script word, or -1.
 */
export function shellScriptArgument(program: string, args: readonly string[]): number {
  if (program === 'su' || program === 'runuser') {
    for (let index = 0; index < args.length; index += 1) {
      const arg = args[index] ?? '';
      if ((arg === '-c' || arg === '--command') && index + 1 < args.length) return index + 1;
    }
    return -1;
  }
  if (!POSIX_SHELLS.has(program)) return -1;
  let offset = 0;
  // `busybox sh -c …`: the applet name comes first.
  if (program === 'busybox') {
    if (args[0] !== 'sh' && args[0] !== 'ash') return -1;
    offset = 1;
  }
  let command = false;
  for (let index = offset; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (arg === '--') return command && index + 1 < args.length ? index + 1 : -1;
    if (/^[-+][A-Za-z]+$/.test(arg)) {
      if (arg.startsWith('-') && arg.includes('c')) command = true;
      if (/^[-+][oO]$/.test(arg)) index += 1;
      continue;
    }
    if (arg.startsWith('--')) {
      if (arg === '--rcfile' || arg === '--init-file') index += 1;
      continue;
    }
    return command ? index : -1;
  }
  return -1;
}

/**
 * Whether a shell invoked with these arguments reads its script from standard input
 * (`bash`, `sh -s -- args`, `bash -`), so a heredoc or a pipe feeding it is the script.
 */
export function shellReadsStdin(program: string, args: readonly string[]): boolean {
  if (!POSIX_SHELLS.has(program)) return false;
  let index = program === 'busybox' ? 1 : 0;
  if (program === 'busybox' && args[0] !== 'sh' && args[0] !== 'ash') return false;
  for (; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (arg === '-' || arg === '--') return true;
    if (/^[-+][A-Za-z]+$/.test(arg)) {
      if (arg.startsWith('-') && arg.includes('c')) return false;
      if (arg.startsWith('-') && arg.includes('s')) return true;
      if (/^[-+][oO]$/.test(arg)) index += 1;
      continue;
    }
    if (arg.startsWith('--')) continue;
    return false;
  }
  return true;
}
