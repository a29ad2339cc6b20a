/**
 * The Dockerfile model rules read: stages, instructions with their flags and exact locations,
 * and every shell command a RUN (or a shell-form CMD, ENTRYPOINT, HEALTHCHECK) executes.
 *
 * The same model is built from a Dockerfile's text and from an image's build history
 * (`docker history`), so a rule written once runs on both.
 */

/** A place in a file, 1-based. For a model built from history, `line` is the history entry. */
export interface DockerfileLocation {
  file: string;
  line: number;
  column: number;
}

/** A shell word: quotes removed, expansions ($X, ${X}, $(…), `…`) kept as written. */
export interface ShellWord {
  value: string;
  /** No expansion anywhere: `value` is exactly what the program receives. */
  literal: boolean;
  /** Some part was quoted ('…', "…", $'…' or a backslash). */
  quoted: boolean;
  /** Ids of the commands run by command or process substitutions inside this word. */
  substitutions: number[];
}

export interface ShellHeredoc {
  delimiter: string;
  /** The lines between the operator's line and the delimiter line. */
  body: string;
  /** The delimiter was quoted, so the body is not expanded. */
  quoted: boolean;
  /** False when the file ended before the delimiter line. */
  closed: boolean;
}

export interface ShellRedirect {
  /** `>`, `>>`, `<`, `<<`, `<<-`, `<<<`, `>&`, `&>` … */
  operator: string;
  /** Explicit file descriptor (`2` in `2>&1`). */
  fd?: string;
  /** Target file, descriptor or here-string; absent for heredocs. */
  target?: ShellWord;
  heredoc?: ShellHeredoc;
}

/** The operator that joins a command to the one before it at the same level. */
export type ShellConnector = '&&' | '||' | ';' | '&' | '|' | '|&';

/** A pipeline this command belongs to: its id and the command's position in it (0 first). */
export interface PipePosition {
  pipeline: number;
  position: number;
}

/** How a nested command is reached from the command that runs it. */
export type NestedKind = 'substitution' | 'process-substitution' | 'shell-c' | 'heredoc';

/** One simple command, as the shell would run it. */
export interface ShellCommand {
  /** Index in `ShellScript.commands`. */
  id: number;
  /** Every word, wrappers included (`sudo`, `env A=1`…). */
  argv: ShellWord[];
  /** `NAME=value` words before the command name, and those given to an `env` wrapper. */
  assignments: { name: string; value: ShellWord }[];
  redirects: ShellRedirect[];
  /** Base name of the program run after wrappers (`apt-get` for `sudo /usr/bin/apt-get`); '' when none. */
  program: string;
  /** Index of the program's word in `argv` (-1 when none). */
  programIndex: number;
  /** Values of the program's arguments. */
  args: string[];
  /** Wrapper programs stripped to find `program`, outermost first. */
  wrappers: string[];
  connector?: ShellConnector;
  /** Enclosing pipelines, outermost first; a command alone is a pipeline of one. */
  pipes: PipePosition[];
  /** The command whose word, `-c` script or heredoc contains this one. */
  parent?: { id: number; kind: NestedKind };
  location: DockerfileLocation;
}

export interface ShellProblem {
  message: string;
  location: DockerfileLocation;
}

/**
 * What an instruction runs. `posix`: parsed as sh; `exec`: JSON form, one command, no shell
 * (a `sh -c` script in it is still parsed); `other`: a non-POSIX SHELL (cmd, powershell), not parsed.
 */
export interface ShellScript {
  dialect: 'posix' | 'exec' | 'other';
  /** Every command, nested ones included, in source order. */
  commands: ShellCommand[];
  problems: ShellProblem[];
}

export interface InstructionFlag {
  /** Without dashes: `from`, `chown`, `mount`, `platform`, `checksum`. */
  name: string;
  /** Undefined for a bare flag (`--link`). */
  value?: string;
}

/** A parsed image reference. */
export interface ImageReference {
  /** As written (`node:${NODE}-alpine`). */
  text: string;
  /** After build-argument substitution (`node:20-alpine`). */
  resolved: string;
  /** Variables used that have no value, so `resolved` is not the real reference. */
  unresolved: string[];
  /** Registry host, `docker.io` when none is written. */
  registry: string;
  /** Path in the registry (`library/node`). */
  repository: string;
  tag?: string;
  digest?: string;
}

export interface KeyValue {
  key: string;
  /** Undefined for an ARG without a default. */
  value?: string;
}

/** Where `COPY --from` or `RUN --mount=from=` takes files from. */
export type FromSource = { kind: 'stage'; stage: number } | { kind: 'image'; image: ImageReference };

export interface DockerfileInstruction {
  /** Upper case: RUN, COPY, … (unknown keywords too). */
  keyword: string;
  location: DockerfileLocation;
  /** Last line of the instruction (heredoc bodies and continuation lines included). */
  endLine: number;
  /** Index of the stage it belongs to; -1 before the first FROM. */
  stage: number;
  flags: InstructionFlag[];
  /** Arguments after the flags, continuation lines joined. */
  text: string;
  /**
   * Arguments split as Docker splits them, quotes removed, variables substituted where known
   * (empty for a shell-form RUN: read `script`).
   */
  words: string[];
  /** Exec (JSON) form arguments of RUN, CMD, ENTRYPOINT, SHELL, VOLUME, COPY, ADD. */
  exec?: string[];
  /** ENV, ARG and LABEL pairs (values unquoted, not substituted). */
  pairs?: KeyValue[];
  /** COPY and ADD: sources (heredoc sources excluded) and destination. */
  sources?: string[];
  destination?: string;
  /** COPY --from / RUN --mount=from= resolved to a stage or an image. */
  fromSources?: FromSource[];
  /** RUN, shell or exec CMD/ENTRYPOINT, HEALTHCHECK CMD: what runs. */
  script?: ShellScript;
  /** ONBUILD: the trigger instruction. */
  trigger?: DockerfileInstruction;
  /** History only: build arguments a RUN saw (`|2 A=1 B=2 /bin/sh -c …`). */
  buildArgs?: KeyValue[];
}

export type StageBase =
  | { kind: 'image'; image: ImageReference }
  | { kind: 'stage'; stage: number }
  | { kind: 'scratch' }
  /** A model built from history: the base is part of the image and not known separately. */
  | { kind: 'unknown' };

export interface DockerfileStage {
  index: number;
  /** `AS` name, lower case as Docker treats it. */
  name?: string;
  /** The FROM instruction; undefined for a model built from history. */
  from?: DockerfileInstruction;
  base: StageBase;
  platform?: string;
  /** Instructions after the FROM, in order. */
  instructions: DockerfileInstruction[];
}

export interface DockerfileProblem {
  kind: 'unknown-instruction' | 'no-stage' | 'missing-arguments' | 'shell-syntax' | 'heredoc' | 'bad-stage-reference' | 'too-large';
  message: string;
  location: DockerfileLocation;
}

export interface DockerfileModel {
  /** The file path, or the image name for a model built from history. */
  path: string;
  origin: 'file' | 'history';
  /** Why the content was not analysed (binary, too large, unreadable); nothing else is set then. */
  skipped?: string;
  escapeChar: string;
  /** Every instruction in order, those before the first FROM included. */
  instructions: DockerfileInstruction[];
  stages: DockerfileStage[];
  /** Index of the last stage (what `docker build` ships without --target); -1 when none. */
  finalStage: number;
  /** The final stage and the stages it is built FROM, base first: what the shipped image contains. */
  shipped: number[];
  problems: DockerfileProblem[];
}
