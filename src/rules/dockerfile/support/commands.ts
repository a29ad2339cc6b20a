/**
 * Reading parsed shell commands: options (short clusters and `--long=value`), operands,
 * pipelines, substitutions, and the text commands write into files.
 */
import type { DockerfileInstruction, ShellCommand } from '../../../snapshot/dockerfile.js';

/**
 * Whether a short option letter is given, alone (`-k`) or in a cluster (`-fsSLk`). `valued` are
 * the program's short options that take a value: in `-XPOST` the letters after X are its value.
 */
export function hasShort(args: readonly string[], letter: string, valued = ''): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (!/^-[A-Za-z0-9]+$/.test(arg)) continue;
    for (const char of arg.slice(1)) {
      if (char === letter) return true;
      if (valued.includes(char)) break;
    }
  }
  return false;
}

/** The value of `--name=value` or `--name value`; true for a bare `--name`; undefined when absent. */
export function longOption(args: readonly string[], name: string, takesValue = false): string | true | undefined {
  const option = `--${name}`;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '--') return undefined;
    if (!arg.startsWith(option)) continue;
    if (arg.length === option.length) return takesValue ? (args[index + 1] ?? true) : true;
    if (arg[option.length] === '=') return arg.slice(option.length + 1);
  }
  return undefined;
}

/** Every value of a repeated option (`-o A=1 -o B=2`, `--setopt=x`). */
export function optionValues(args: readonly string[], names: readonly string[]): string[] {
  const values: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    for (const name of names) {
      if (!arg.startsWith(name)) continue;
      if (arg.length === name.length) {
        if (index + 1 < args.length) values.push(args[index + 1] as string);
      } else if (!name.startsWith('--')) values.push(arg.slice(name.length));
      else if (arg[name.length] === '=') values.push(arg.slice(name.length + 1));
    }
  }
  return values;
}

/** Arguments that are not options, skipping the values of `valued` options. */
export function operands(args: readonly string[], valued: ReadonlySet<string> = new Set()): string[] {
  const found: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '--') return [...found, ...args.slice(index + 1)];
    if (arg.startsWith('-') && arg !== '-') {
      if (valued.has(arg)) index += 1;
      continue;
    }
    found.push(arg);
  }
  return found;
}

/** Commands before `command` in one of its pipelines (`curl ... | tee x | sh`: curl and tee for sh). */
export function upstreamOf(commands: readonly ShellCommand[], command: ShellCommand): ShellCommand[] {
  const mine = command.pipes.filter((pipe) => pipe.position > 0);
  if (mine.length === 0) return [];
  return commands.filter(
    (other) => other !== command && other.pipes.some((pipe) => mine.some((own) => own.pipeline === pipe.pipeline && pipe.position < own.position)),
  );
}

/** Every command nested (at any depth) under the commands in `ids`. */
export function descendantsOf(commands: readonly ShellCommand[], ids: readonly number[]): ShellCommand[] {
  if (ids.length === 0) return [];
  const wanted = new Set(ids);
  const found: ShellCommand[] = [];
  for (const command of commands) {
    if (wanted.has(command.id) || (command.parent !== undefined && wanted.has(command.parent.id))) {
      wanted.add(command.id);
      found.push(command);
    }
  }
  return found;
}

/** Basename of a path word. */
export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** A file written by a command and what is written to it: `echo x > f`, `tee f <<EOF`, `printf ... >> f`. */
export interface Written {
  file: string;
  content: string;
}

const WRITERS: ReadonlySet<string> = new Set(['echo', 'printf', 'cat', 'tee']);

/**
 * What a RUN writes into files with echo, printf, cat or tee (from arguments, heredocs and
 * here-strings). Content from an earlier pipeline stage (`echo x | tee f`) is included.
 */
export function writtenFiles(commands: readonly ShellCommand[]): Written[] {
  let known = writtenCache.get(commands);
  if (known === undefined) {
    known = readWrittenFiles(commands);
    writtenCache.set(commands, known);
  }
  return known;
}

const writtenCache = new WeakMap<readonly ShellCommand[], Written[]>();

function readWrittenFiles(commands: readonly ShellCommand[]): Written[] {
  const written: Written[] = [];
  for (const command of commands) {
    if (!WRITERS.has(command.program)) continue;
    const targets = command.redirects.filter((redirect) => ['>', '>>', '>|'].includes(redirect.operator) && redirect.fd === undefined).map((redirect) => redirect.target?.value ?? '');
    if (command.program === 'tee') targets.push(...operands(command.args));
    if (targets.length === 0) continue;
    const pieces: string[] = [];
    if (command.program === 'echo' || command.program === 'printf') pieces.push(operands(command.args).join(' '));
    for (const redirect of command.redirects) {
      if (redirect.heredoc) pieces.push(redirect.heredoc.body);
      if (redirect.operator === '<<<' && redirect.target) pieces.push(redirect.target.value);
    }
    for (const source of upstreamOf(commands, command)) {
      if (source.program === 'echo' || source.program === 'printf') pieces.push(operands(source.args).join(' '));
    }
    const content = pieces.join('\n').replace(/\\n/g, '\n');
    for (const file of targets) written.push({ file, content });
  }
  return written;
}

const NONE: readonly { name: string; value: string }[] = [];

/** Environment assignments a command makes: `A=1 cmd`, `env A=1 cmd`, `export A=1`. */
export function assignmentsOf(command: ShellCommand): readonly { name: string; value: string }[] {
  const exports = command.program === 'export' || command.program === 'declare' || command.program === 'typeset';
  if (command.assignments.length === 0 && !exports) return NONE;
  const found = command.assignments.map((assignment) => ({ name: assignment.name, value: assignment.value.value }));
  if (exports) {
    for (const arg of command.args) {
      const equals = arg.indexOf('=');
      if (equals > 0 && !arg.startsWith('-')) found.push({ name: arg.slice(0, equals), value: arg.slice(equals + 1) });
    }
  }
  return found;
}

/** Every variable a command sets: its assignments (`assignmentsOf`) and `go env -w`. */
export function commandVariables(command: ShellCommand): readonly { name: string; value: string }[] {
  const assigned = assignmentsOf(command);
  const goEnv = goEnvAssignments(command);
  return goEnv.length === 0 ? assigned : [...assigned, ...goEnv];
}

/** ENV, ARG defaults and build arguments seen in history: name and value. */
export function variablesOf(instruction: DockerfileInstruction): readonly { name: string; value: string }[] {
  const pairs = instruction.keyword === 'ENV' || instruction.keyword === 'ARG' ? instruction.pairs : undefined;
  if (pairs === undefined && instruction.buildArgs === undefined) return NONE;
  const found: { name: string; value: string }[] = [];
  for (const pair of pairs ?? []) if (pair.value !== undefined) found.push({ name: pair.key, value: pair.value });
  for (const pair of instruction.buildArgs ?? []) if (pair.value !== undefined) found.push({ name: pair.key, value: pair.value });
  return found;
}

/** `go env -w NAME=value`. */
export function goEnvAssignments(command: ShellCommand): readonly { name: string; value: string }[] {
  if (command.program !== 'go' || command.args[0] !== 'env' || !command.args.includes('-w')) return NONE;
  return command.args.flatMap((arg) => {
    const equals = arg.indexOf('=');
    return equals > 0 && !arg.startsWith('-') ? [{ name: arg.slice(0, equals), value: arg.slice(equals + 1) }] : [];
  });
}
