/**
 * Builds the Dockerfile model from instructions, whether they were read from a file or from
 * an image's history: stages, build-variable scopes, COPY --from links and parsed scripts.
 */
import { isWindowsImage, parseImageReference } from './image-ref.js';
import { execCommand, parseShell, type Locate } from './shell.js';
import { dockerWords, execForm, substitute, type Lookup } from './text.js';
import type {
  DockerfileInstruction,
  DockerfileLocation,
  DockerfileModel,
  DockerfileProblem,
  DockerfileStage,
  FromSource,
  InstructionFlag,
  KeyValue,
  ShellScript,
  StageBase,
} from './types.js';
import { POSIX_SHELLS, programName } from './wrappers.js';
import { shownWord } from '../excerpt.js';

export const KNOWN_INSTRUCTIONS: ReadonlySet<string> = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

/** Instructions whose arguments Docker substitutes build variables in. */
const SUBSTITUTED: ReadonlySet<string> = new Set(['ADD', 'COPY', 'ENV', 'EXPOSE', 'FROM', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);

/** Instructions with a JSON (exec) form. */
const EXEC_FORM: ReadonlySet<string> = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'VOLUME', 'COPY', 'ADD']);

/** One instruction as read, before it is interpreted. */
export interface InstructionInput {
  keyword: string;
  location: DockerfileLocation;
  endLine: number;
  flags: InstructionFlag[];
  /** Arguments after the flags, continuation lines joined. */
  text: string;
  /** Maps an index in `text` to its place in the file. */
  locate: Locate;
  trigger?: InstructionInput;
  buildArgs?: KeyValue[];
}

type Dialect = 'posix' | 'other';

interface StageScope {
  variables: Map<string, string | null>;
  /** Reads `variables`. */
  lookup: Lookup;
  /** ENV only: what a stage built FROM this one inherits. */
  environment: Map<string, string>;
  dialect: Dialect;
}

/**
 * `A=1 B="two words"` or the legacy `KEY value with spaces`. `words` are the text's words
 * without substitution, when the caller has them already.
 */
export function keyValuePairs(keyword: string, text: string, escapeChar: string, words = dockerWords(text, escapeChar)): KeyValue[] {
  const first = words[0];
  if (first === undefined) return [];
  if (keyword === 'ARG') {
    return words.map((word) => {
      const equals = word.indexOf('=');
      return equals < 0 ? { key: word } : { key: word.slice(0, equals), value: word.slice(equals + 1) };
    });
  }
  if (!first.includes('=')) {
    const rest = text.trim().slice(text.trim().indexOf(first.charAt(0)) + first.length).trim();
    return [{ key: first, value: dockerWords(rest, escapeChar).join(' ') }];
  }
  return words.map((word) => {
    const equals = word.indexOf('=');
    return equals < 0 ? { key: word, value: '' } : { key: word.slice(0, equals), value: word.slice(equals + 1) };
  });
}

/** `type=cache,target=/root/.npm,from=builder` → options. */
export function flagOptions(value: string | undefined): Record<string, string> {
  const options: Record<string, string> = {};
  for (const part of (value ?? '').split(',')) {
    const equals = part.indexOf('=');
    if (equals < 0) options[part.trim()] = 'true';
    else options[part.slice(0, equals).trim()] = part.slice(equals + 1).trim();
  }
  return options;
}

/**
 * What substitution may produce in one Dockerfile, in characters: `ENV A=$A$A` doubles A on each
 * line, so without a bound 30 lines would need gigabytes. Past it, variables are left as written
 * and the model records a problem.
 */
export const MAX_SUBSTITUTED_CHARS = 8 * 1024 * 1024;

/**
 * How many variables stages may inherit from the stages they are built FROM, in all: a chain
 * of stages each adding one ENV would otherwise copy a quadratic number of them.
 */
export const MAX_INHERITED_VARIABLES = 1024 * 1024;

export class ModelBuilder {
  private readonly globals = new Map<string, string | null>();
  private readonly stages: DockerfileStage[] = [];
  private readonly scopes: StageScope[] = [];
  private readonly instructions: DockerfileInstruction[] = [];
  private readonly problems: DockerfileProblem[] = [];
  private reportedNoStage = false;
  /** Stages by name, the first of each name, as a reference to a name finds it. */
  private readonly stagesByName = new Map<string, DockerfileStage>();
  private substituted = 0;
  private inherited = 0;
  /** Where the last instruction started, for problems found while substituting. */
  private current: DockerfileLocation | undefined;
  private readonly reportedLimits = new Set<string>();

  constructor(
    private readonly path: string,
    private readonly origin: 'file' | 'history',
    private readonly escapeChar: string,
  ) {}

  private globalLookup: Lookup = this.charged((name) => this.globals.get(name));

  /** `lookup`, charging the values it returns to the model's substitution budget. */
  private charged(lookup: Lookup): Lookup {
    return (name) => {
      const value = lookup(name);
      if (typeof value !== 'string') return value;
      if (this.substituted + value.length > MAX_SUBSTITUTED_CHARS) {
        this.limit('substitution', `variable substitution would produce more than ${MAX_SUBSTITUTED_CHARS} characters; later references are left as written`);
        return undefined;
      }
      this.substituted += value.length;
      return value;
    };
  }

  /** Reports a limit once per model, where the instruction being read starts. */
  private limit(name: string, message: string): void {
    if (this.reportedLimits.has(name) || this.current === undefined) return;
    this.reportedLimits.add(name);
    this.problem('too-large', message, this.current);
  }

  private scopeOf(variables: Map<string, string | null>, environment: Map<string, string>, dialect: Dialect): StageScope {
    return { variables, lookup: this.charged((name) => variables.get(name)), environment, dialect };
  }

  /** A copy of `environment` for a stage built FROM its stage, within the inheritance budget. */
  private inherit(environment: ReadonlyMap<string, string> | undefined): Map<string, string> {
    if (environment === undefined || environment.size === 0) return new Map();
    if (this.inherited + environment.size > MAX_INHERITED_VARIABLES) {
      this.limit('inherited', `stages inherit more than ${MAX_INHERITED_VARIABLES} variables in all; later stages start without their base stage's variables`);
      return new Map();
    }
    this.inherited += environment.size;
    return new Map(environment);
  }

  /** Records a problem found while reading the instructions. */
  problem(kind: DockerfileProblem['kind'], message: string, location: DockerfileLocation): void {
    this.problems.push({ kind, message, location });
  }

  /** Starts a stage whose base is not known (a model built from history). */
  startUnknownStage(): void {
    this.stages.push({ index: 0, base: { kind: 'unknown' }, instructions: [] });
    this.scopes.push(this.scopeOf(new Map(), new Map(), 'posix'));
  }

  add(input: InstructionInput): void {
    this.current = input.location;
    if (!KNOWN_INSTRUCTIONS.has(input.keyword)) {
      this.problem('unknown-instruction', `unknown instruction ${shownWord(input.keyword)}`, input.location);
    }
    if (input.keyword === 'FROM') return this.addFrom(input);
    const stageIndex = this.stages.length - 1;
    if (stageIndex < 0 && input.keyword !== 'ARG' && !this.reportedNoStage) {
      this.reportedNoStage = true;
      this.problem('no-stage', `${shownWord(input.keyword)} before the first FROM`, input.location);
    }
    const scope = this.scopes[stageIndex];
    const instruction = this.build(input, stageIndex, scope);
    this.instructions.push(instruction);
    if (scope) this.stages[stageIndex]?.instructions.push(instruction);
    this.updateScope(instruction, scope);
  }

  private addFrom(input: InstructionInput): void {
    const index = this.stages.length;
    const instruction = this.build(input, index, undefined);
    this.instructions.push(instruction);
    // The image is read as written; without a variable that is what `words` already holds.
    const words = input.text.includes('$') ? dockerWords(input.text, this.escapeChar) : instruction.words;
    const imageText = words[0] ?? '';
    const name = words[1]?.toUpperCase() === 'AS' ? words[2]?.toLowerCase() : undefined;
    const resolved = substitute(imageText, this.globalLookup, this.escapeChar);
    const platformFlag = input.flags.find((flag) => flag.name === 'platform')?.value;
    let base: StageBase;
    const earlier = this.stagesByName.get(resolved.value.toLowerCase());
    if (resolved.value.toLowerCase() === 'scratch') base = { kind: 'scratch' };
    else if (earlier) base = { kind: 'stage', stage: earlier.index };
    else base = { kind: 'image', image: parseImageReference(imageText, resolved.value, resolved.unresolved) };
    const parent = base.kind === 'stage' ? this.scopes[base.stage] : undefined;
    const dialect: Dialect = parent?.dialect ?? (base.kind === 'image' && (isWindowsImage(base.image) || this.escapeChar === '`') ? 'other' : 'posix');
    const stage: DockerfileStage = {
      index,
      ...(name ? { name } : {}),
      from: instruction,
      base,
      ...(platformFlag !== undefined ? { platform: substitute(platformFlag, this.globalLookup).value } : {}),
      instructions: [],
    };
    this.stages.push(stage);
    if (name !== undefined && !this.stagesByName.has(name)) this.stagesByName.set(name, stage);
    const environment = this.inherit(parent?.environment);
    this.scopes.push(this.scopeOf(new Map(environment), environment, dialect));
  }

  private updateScope(instruction: DockerfileInstruction, scope: StageScope | undefined): void {
    const lookup = this.lookupFor(scope);
    if (instruction.keyword === 'ARG') {
      for (const pair of instruction.pairs ?? []) {
        const value = pair.value === undefined ? undefined : substitute(pair.value, lookup, this.escapeChar).value;
        if (!scope) this.globals.set(pair.key, value ?? null);
        else scope.variables.set(pair.key, value ?? this.globals.get(pair.key) ?? null);
      }
    } else if (instruction.keyword === 'ENV' && scope) {
      for (const pair of instruction.pairs ?? []) {
        const value = substitute(pair.value ?? '', lookup, this.escapeChar).value;
        scope.variables.set(pair.key, value);
        scope.environment.set(pair.key, value);
      }
    } else if (instruction.keyword === 'SHELL' && scope && instruction.exec?.[0] !== undefined) {
      scope.dialect = POSIX_SHELLS.has(programName(instruction.exec[0])) ? 'posix' : 'other';
    }
  }

  private lookupFor(scope: StageScope | undefined): Lookup {
    return scope ? scope.lookup : this.globalLookup;
  }

  private build(input: InstructionInput, stage: number, scope: StageScope | undefined): DockerfileInstruction {
    const keyword = input.keyword;
    const lookup = keyword === 'FROM' ? this.globalLookup : this.lookupFor(scope);
    const exec = EXEC_FORM.has(keyword) ? execForm(input.text) : undefined;
    // RUN arguments are read as shell (`script`), not as Docker words.
    const words = exec ?? (keyword === 'RUN' ? [] : dockerWords(input.text, this.escapeChar, SUBSTITUTED.has(keyword) ? lookup : undefined));
    const instruction: DockerfileInstruction = { keyword, location: input.location, endLine: input.endLine, stage, flags: input.flags, text: input.text, words };
    if (exec) instruction.exec = exec;
    if (input.buildArgs) instruction.buildArgs = input.buildArgs;
    const needsArguments = KNOWN_INSTRUCTIONS.has(keyword) && input.text.trim() === '';
    if (needsArguments) this.problem('missing-arguments', `${keyword} has no arguments`, input.location);
    const dialect = scope?.dialect ?? 'posix';
    switch (keyword) {
      case 'ENV':
      case 'ARG':
      case 'LABEL':
        // Words read without substitution are these same words when there is nothing to substitute.
        instruction.pairs = keyValuePairs(keyword, input.text, this.escapeChar, SUBSTITUTED.has(keyword) && input.text.includes('$') ? undefined : words);
        break;
      case 'RUN':
      case 'CMD':
      case 'ENTRYPOINT':
        if (!needsArguments) instruction.script = this.script(input.text, input.locate, exec, dialect, input.location, keyword === 'RUN');
        break;
      case 'HEALTHCHECK': {
        const command = /^\s*CMD\s+/i.exec(input.text);
        if (command) {
          const rest = input.text.slice(command[0].length);
          const offset = command[0].length;
          instruction.script = this.script(rest, (index) => input.locate(offset + index), execForm(rest), dialect, input.location, false);
        }
        break;
      }
      case 'COPY':
      case 'ADD':
        this.copyParts(instruction, input, lookup);
        break;
      case 'ONBUILD':
        if (input.trigger) instruction.trigger = this.build(input.trigger, stage, scope);
        break;
    }
    if (input.flags.length > 0) this.addFromSources(instruction, input, lookup);
    return instruction;
  }

  /** `COPY --from=` first, then every `RUN --mount=from=`. */
  private addFromSources(instruction: DockerfileInstruction, input: InstructionInput, lookup: Lookup): void {
    const sources: FromSource[] = [];
    if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
      const from = input.flags.find((flag) => flag.name === 'from')?.value;
      if (from) sources.push(this.fromSource(from, instruction.stage, lookup, input.location));
    }
    for (const flag of input.flags) {
      const from = flag.name === 'mount' ? flagOptions(flag.value)['from'] : undefined;
      if (from) sources.push(this.fromSource(from, instruction.stage, lookup, input.location));
    }
    if (sources.length > 0) instruction.fromSources = sources;
  }

  private script(text: string, locate: Locate, exec: string[] | undefined, dialect: Dialect, location: DockerfileLocation, report: boolean): ShellScript {
    if (exec) return execCommand(exec, location);
    if (dialect === 'other') return { dialect: 'other', commands: [], problems: [] };
    const script = parseShell(text, locate);
    if (report) {
      for (const problem of script.problems) {
        this.problem(/heredoc/.test(problem.message) ? 'heredoc' : 'shell-syntax', problem.message, problem.location);
      }
    }
    return script;
  }

  private copyParts(instruction: DockerfileInstruction, input: InstructionInput, lookup: Lookup): void {
    // Heredoc bodies follow the first line; without them the words are those of the whole text.
    const newline = input.text.indexOf('\n');
    const words = instruction.exec ?? (newline < 0 ? instruction.words : dockerWords(input.text.slice(0, newline), this.escapeChar, lookup));
    const paths = words.filter((word) => !/^<<-?\S/.test(word));
    const heredocs = words.length - paths.length;
    if (paths.length + heredocs < 2 && input.text.trim() !== '') {
      this.problem('missing-arguments', `${input.keyword} needs a source and a destination`, input.location);
    }
    instruction.sources = paths.slice(0, -1);
    const destination = paths.at(-1);
    if (destination !== undefined) instruction.destination = destination;
  }

  private fromSource(value: string, stage: number, lookup: Lookup, location: DockerfileLocation): FromSource {
    const resolved = substitute(value, lookup, this.escapeChar);
    if (/^\d+$/.test(resolved.value)) {
      const index = Number(resolved.value);
      if (index >= stage) this.problem('bad-stage-reference', `--from=${value} does not name an earlier stage`, location);
      return { kind: 'stage', stage: index };
    }
    const named = this.stagesByName.get(resolved.value.toLowerCase());
    if (named && named.index < stage) return { kind: 'stage', stage: named.index };
    return { kind: 'image', image: parseImageReference(value, resolved.value, resolved.unresolved) };
  }

  finish(): DockerfileModel {
    if (this.stages.length === 0 && this.instructions.length > 0 && !this.reportedNoStage) {
      this.problem('no-stage', 'no FROM instruction', (this.instructions[0] as DockerfileInstruction).location);
    }
    const finalStage = this.stages.length - 1;
    const shipped: number[] = [];
    for (let index = finalStage; index >= 0; ) {
      shipped.push(index);
      const base = this.stages[index]?.base;
      index = base?.kind === 'stage' && base.stage < index ? base.stage : -1;
    }
    shipped.reverse();
    return {
      path: this.path,
      origin: this.origin,
      escapeChar: this.escapeChar,
      instructions: this.instructions,
      stages: this.stages,
      finalStage,
      shipped,
      problems: this.problems.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column),
    };
  }
}
