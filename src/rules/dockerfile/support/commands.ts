/**
 * Reading parsed shell commands: options (short clusters and `--long=value`), operands,
 * pipelines, substitutions, and the text commands write into files.
 */
import type { DockerfileInstruction, ShellCommand } from '../../../parsers/dockerfile/snapshot-dockerfiles.js';

/**
 * Whether a short option letter is given, alone (`-k`) or in a cluster (`-fsSLk`). `valued` are
 * the program's short options that take a value: in `-XPOST` the letters after X are its value,
 * in `-X POST` the next word is.
 */
export function hasShort(args: readonly string[], letter: string, valued = ''): boolean {
  // Stryker disable next-line EqualityOperator: one step past the end reads undefined, which is neither -- nor an option
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '--') return false;
    if (!/^-[A-Za-z0-9]+$/.test(arg)) continue;
    // Stryker disable next-line EqualityOperator: one step past the end reads undefined, which is neither the letter nor valued
    for (let position = 1; position < arg.length; position += 1) {
      const char = arg[position] as string;
      if (char === letter) return true;
      if (!valued.includes(char)) continue;
      // `-o -k`: a valued letter ending its cluster takes the next word as its value.
      if (position === arg.length - 1) index += 1;
      break;
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

/**
 * How the commands of one script relate, worked out once per command list so that questions
 * about pipelines and nesting cost time in proportion to the answer, not to the script: a RUN
 * of 50,000 commands asks them 50,000 times.
 */
interface Relations {
  /** For each pipeline id, its stages: the commands at each position, in command order. */
  stages: Map<number, ShellCommand[][]>;
  /** The commands nested directly under each command, by the parent's id. */
  children: Map<number, ShellCommand[]>;
  /** Per set of programs: for each pipeline, the first matching command at or before each position. */
  firstByPrograms: Map<ReadonlySet<string>, Map<number, (ShellCommand | undefined)[]>>;
}

const relationsCache = new WeakMap<readonly ShellCommand[], Relations>();

function relationsOf(commands: readonly ShellCommand[]): Relations {
  let relations = relationsCache.get(commands);
  if (relations !== undefined) return relations;
  relations = { stages: new Map(), children: new Map(), firstByPrograms: new Map() };
  for (const command of commands) {
    for (const pipe of command.pipes) {
      let stages = relations.stages.get(pipe.pipeline);
      if (stages === undefined) relations.stages.set(pipe.pipeline, (stages = []));
      while (stages.length <= pipe.position) stages.push([]);
      (stages[pipe.position] as ShellCommand[]).push(command);
    }
    if (command.parent !== undefined) {
      const siblings = relations.children.get(command.parent.id);
      if (siblings === undefined) relations.children.set(command.parent.id, [command]);
      else siblings.push(command);
    }
  }
  relationsCache.set(commands, relations);
  return relations;
}

/** For each pipeline, the first command (in source order) running one of `programs` at or before each position. */
function firstRunning(relations: Relations, programs: ReadonlySet<string>): Map<number, (ShellCommand | undefined)[]> {
  let byPipeline = relations.firstByPrograms.get(programs);
  if (byPipeline !== undefined) return byPipeline;
  byPipeline = new Map();
  for (const [pipeline, stages] of relations.stages) {
    const first: (ShellCommand | undefined)[] = [];
    let best: ShellCommand | undefined;
    for (const stage of stages) {
      for (const command of stage) if (programs.has(command.program) && (best === undefined || command.id < best.id)) best = command;
      first.push(best);
    }
    byPipeline.set(pipeline, first);
  }
  relations.firstByPrograms.set(programs, byPipeline);
  return byPipeline;
}

/**
 * The first command (in source order) before `command` in one of its pipelines that runs one of
 * `programs`: curl for sh in `curl ... | tee x | sh`. Pass a set kept for reuse (a module
 * constant): the answer is prepared once per set and command list.
 */
export function upstreamRunning(commands: readonly ShellCommand[], command: ShellCommand, programs: ReadonlySet<string>): ShellCommand | undefined {
  let found: ShellCommand | undefined;
  for (const pipe of command.pipes) {
    if (pipe.position === 0) continue;
    const candidate = firstRunning(relationsOf(commands), programs).get(pipe.pipeline)?.[pipe.position - 1];
    if (candidate !== undefined && candidate !== command && (found === undefined || candidate.id < found.id)) found = candidate;
  }
  return found;
}

/**
 * The commands whose output `command` reads on its standard input: those of the stage just
 * before it in each of its pipelines (`echo x | tee f`: echo for tee; `{ echo a; echo b; } | tee f`:
 * both echos). A stage's output is read once, by the first reader that asks (recorded in
 * `claimed`), so the work stays linear however many readers share a stage.
 */
function stdinSources(relations: Relations, command: ShellCommand, claimed: Set<ShellCommand[]>): ShellCommand[] {
  const sources = new Set<ShellCommand>();
  for (const pipe of command.pipes) {
    if (pipe.position === 0) continue;
    const stage = relations.stages.get(pipe.pipeline)?.[pipe.position - 1];
    if (stage === undefined || claimed.has(stage)) continue;
    claimed.add(stage);
    for (const source of stage) if (source !== command) sources.add(source);
  }
  return [...sources].sort((a, b) => a.id - b.id);
}

/** Every command nested (at any depth) under the commands in `ids`, in source order. */
export function descendantsOf(commands: readonly ShellCommand[], ids: readonly number[]): ShellCommand[] {
  if (ids.length === 0) return [];
  const { children } = relationsOf(commands);
  const seen = new Set<number>();
  const found: ShellCommand[] = [];
  const pending: ShellCommand[] = [];
  for (const id of ids) {
    const command = commands[id];
    if (command === undefined || seen.has(id)) continue;
    seen.add(id);
    pending.push(command);
  }
  for (let command = pending.pop(); command !== undefined; command = pending.pop()) {
    found.push(command);
    for (const child of children.get(command.id) ?? []) {
      if (seen.has(child.id)) continue;
      seen.add(child.id);
      pending.push(child);
    }
  }
  return found.sort((a, b) => a.id - b.id);
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
  const relations = relationsOf(commands);
  const claimed = new Set<ShellCommand[]>();
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
    for (const source of stdinSources(relations, command, claimed)) {
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
