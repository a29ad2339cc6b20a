/**
 * An image's build history (`GET /images/{id}/history`, what `docker history` prints) read back
 * into the Dockerfile model, so Dockerfile rules also run on images that come without one.
 *
 * The classic builder records `/bin/sh -c #(nop)  USER app` for metadata instructions and
 * `/bin/sh -c apt-get update` (or `|2 A=1 B=2 /bin/sh -c …` with build arguments) for RUN;
 * BuildKit records `USER app`, `RUN /bin/sh -c apt-get update # buildkit`, `EXPOSE map[80/tcp:{}]`,
 * `CMD ["node" "server.js"]`, `HEALTHCHECK &{["CMD-SHELL" "…"] "30s" …}`.
 */
import { KNOWN_INSTRUCTIONS, ModelBuilder, type InstructionInput } from './build.js';
import type { DockerfileLocation, DockerfileModel, InstructionFlag, KeyValue } from './types.js';

/** One history entry; `CreatedBy` is all the reader needs. */
export interface HistoryEntry {
  CreatedBy?: unknown;
}

/** Go's `%q` list print (`["a" "b c"]`) or a JSON array → the strings. */
function goList(text: string): string[] | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed as string[];
  } catch {
    // Not JSON: Go prints string slices without commas.
  }
  const quoted = [...trimmed.matchAll(/"((?:[^"\\]|\\.)*)"/g)];
  if (quoted.length > 0) return quoted.map((match) => JSON.parse(`"${match[1] ?? ''}"`) as string);
  // `[/data /logs]`: a slice printed with %v.
  return trimmed.slice(1, -1).split(/\s+/).filter(Boolean);
}

/** Leading `--name=value` flags. */
function leadingFlags(text: string): { flags: InstructionFlag[]; rest: string } {
  const flags: InstructionFlag[] = [];
  let rest = text.trimStart();
  for (let match = /^--([a-z-]+)(?:=(\S*))?\s+/.exec(rest); match; match = /^--([a-z-]+)(?:=(\S*))?\s+/.exec(rest)) {
    flags.push(match[2] === undefined ? { name: match[1] as string } : { name: match[1] as string, value: match[2] });
    rest = rest.slice(match[0].length);
  }
  return { flags, rest };
}

/** `|2 A=1 B=2 rest` → the build arguments and the rest. */
function buildArguments(text: string): { buildArgs?: KeyValue[]; rest: string } {
  const count = /^\|(\d+)\s+/.exec(text);
  if (!count) return { rest: text };
  let rest = text.slice(count[0].length);
  const buildArgs: KeyValue[] = [];
  for (let index = 0; index < Number(count[1]); index += 1) {
    const pair = /^([^=\s]+)=(\S*)\s*/.exec(rest);
    if (!pair) break;
    buildArgs.push({ key: pair[1] as string, value: pair[2] as string });
    rest = rest.slice(pair[0].length);
  }
  return { buildArgs, rest };
}

const SHELL_PREFIX = /^(?:\/\S*\/)?(?:sh|bash|ash|dash|zsh)\s+(?:[-+][A-Za-z]*o\s+\S+\s+|[-+][A-Za-z]+\s+)*?-[A-Za-z]*c\s+/;

/** Turns the arguments of a metadata instruction printed by Go back into Dockerfile syntax. */
function dockerfileArguments(keyword: string, text: string): string {
  switch (keyword) {
    case 'CMD':
    case 'ENTRYPOINT':
    case 'SHELL':
    case 'VOLUME': {
      const list = goList(text);
      return list ? JSON.stringify(list) : text;
    }
    case 'EXPOSE': {
      const map = /^map\[(.*)\]$/.exec(text.trim());
      return map ? (map[1] ?? '').replace(/:\{\}/g, '') : text;
    }
    case 'HEALTHCHECK': {
      const list = /^&\{(\[.*?\])/.exec(text.trim());
      const test = list ? goList(list[1] as string) : undefined;
      if (!test) return text;
      if (test[0] === 'NONE') return 'NONE';
      if (test[0] === 'CMD-SHELL') return `CMD ${test[1] ?? ''}`;
      return `CMD ${JSON.stringify(test.slice(1))}`;
    }
    case 'ADD':
    case 'COPY': {
      const legacy = /^(\S+) in (\S+)\s*$/.exec(text);
      return legacy ? `${legacy[1]} ${legacy[2]}` : text;
    }
    default:
      return text;
  }
}

/** One `CreatedBy` line as an instruction; undefined for empty lines (imported layers). */
function historyInstruction(createdBy: string, location: DockerfileLocation): InstructionInput | undefined {
  let text = createdBy.trim();
  if (text === '') return undefined;
  text = text.replace(/\s*# buildkit$/, '');
  const locate = (): DockerfileLocation => location;
  const make = (keyword: string, argumentsText: string, flags: InstructionFlag[] = [], buildArgs?: KeyValue[]): InstructionInput => {
    const input: InstructionInput = { keyword, location, endLine: location.line, flags, text: argumentsText, locate, ...(buildArgs ? { buildArgs } : {}) };
    if (keyword === 'ONBUILD') {
      const trigger = /^(\w+)\s*([\s\S]*)$/.exec(argumentsText);
      if (trigger) input.trigger = make((trigger[1] as string).toUpperCase(), dockerfileArguments((trigger[1] as string).toUpperCase(), trigger[2] ?? ''));
    }
    return input;
  };
  const nop = /^\/bin\/sh -c #\(nop\)\s*(\w+)\s*([\s\S]*)$/.exec(text);
  if (nop) {
    const keyword = (nop[1] as string).toUpperCase();
    const { flags, rest } = leadingFlags(nop[2] ?? '');
    return make(keyword, dockerfileArguments(keyword, rest.trim()), flags);
  }
  const instruction = /^([A-Z]+)\s+([\s\S]*)$/.exec(text);
  const keyword = instruction && KNOWN_INSTRUCTIONS.has(instruction[1] as string) ? (instruction[1] as string) : 'RUN';
  const body = instruction ? (instruction[2] as string) : text;
  const { flags, rest } = leadingFlags(body);
  if (keyword !== 'RUN') return make(keyword, dockerfileArguments(keyword, rest.trim()), flags);
  const { buildArgs, rest: command } = buildArguments(rest);
  const shell = SHELL_PREFIX.exec(command);
  if (shell) return make('RUN', command.slice(shell[0].length), flags, buildArgs);
  const windows = /^cmd \/S \/C\s+/i.exec(command);
  if (windows) return make('RUN', command, flags, buildArgs);
  const list = goList(command);
  return make('RUN', list ? JSON.stringify(list) : command, flags, buildArgs);
}

/**
 * The model of an image from its history entries as the Engine API returns them (newest first).
 * Every instruction's location is `{ file: name, line: N, column: 1 }` where N is the entry's
 * 1-based position in that list, the row `docker history` prints it on.
 */
export function dockerfileFromHistory(name: string, history: readonly HistoryEntry[]): DockerfileModel {
  const builder = new ModelBuilder(name, 'history', '\\');
  builder.startUnknownStage();
  for (let index = history.length - 1; index >= 0; index -= 1) {
    const createdBy = history[index]?.CreatedBy;
    if (typeof createdBy !== 'string') continue;
    const input = historyInstruction(createdBy, { file: name, line: index + 1, column: 1 });
    if (input) builder.add(input);
  }
  return builder.finish();
}
