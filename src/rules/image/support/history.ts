/**
 * Reading an image's build history (`GET /images/{id}/history`): which Dockerfile instruction
 * made each entry, and the simple commands a RUN executed.
 *
 * The classic builder records `/bin/sh -c #(nop)  ENV A=b` for metadata instructions,
 * `/bin/sh -c apt-get update` for a RUN and `|2 A=1 B=2 /bin/sh -c ...` for a RUN given build
 * arguments. BuildKit records the instruction itself (`RUN /bin/sh -c ... # buildkit`,
 * `ENV A=b`, `ADD https://... /opt # buildkit`).
 */
import type { ApiDocument } from '../../../snapshot/types.js';
import { str } from '../../../snapshot/api-document.js';

const INSTRUCTIONS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'MAINTAINER',
  'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);

export interface HistoryInstruction {
  /** Dockerfile instruction in upper case; '' when the entry records none (import, commit). */
  instruction: string;
  /** Its arguments; for RUN the command line with the shell prefix and build arguments removed. */
  args: string;
  /** Build arguments recorded in front of a RUN (`|1 TOKEN=...`), by name. */
  buildArgs: Record<string, string>;
  /** The history entry's `CreatedBy`, as recorded. */
  createdBy: string;
}

/** `|2 A=1 B=x y /bin/sh -c cmd` -> the assignments and what follows them. */
function splitBuildArgs(text: string): { buildArgs: Record<string, string>; rest: string } {
  const header = /^\|(\d+)\s*/.exec(text);
  if (!header) return { buildArgs: {}, rest: text };
  const count = Number.parseInt(header[1] ?? '0', 10);
  let rest = text.slice(header[0].length);
  const buildArgs: Record<string, string> = {};
  for (let index = 0; index < count; index += 1) {
    const name = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(rest);
    if (!name) break;
    rest = rest.slice(name[0].length);
    // A value runs to the next ` NAME=` or, for the last one, to the command.
    const next =
      index + 1 < count
        ? /\s[A-Za-z_][A-Za-z0-9_]*=/.exec(rest)
        : (/\s(?=(?:\S*\/)?(?:sh|bash|ash|dash|zsh|ksh)\s|cmd\s|powershell)/.exec(rest) ?? /\s/.exec(rest));
    const end = next ? next.index : rest.length;
    buildArgs[name[1] ?? ''] = rest.slice(0, end);
    rest = rest.slice(end).trimStart();
  }
  return { buildArgs, rest };
}

/** Removes `/bin/sh -c`, `/bin/bash -o pipefail -c` or `cmd /S /C` from the front of a RUN. */
function stripShell(command: string): string {
  const windows = /^cmd\s+\/S\s+\/C\s+/i.exec(command) ?? /^powershell(\.exe)?\s+(-\w+\s+)*-Command\s+/i.exec(command);
  if (windows) return command.slice(windows[0].length);
  let rest = command;
  const program = /^(\S+)\s+/.exec(rest);
  if (!program || !SHELLS.has((program[1] ?? '').split('/').pop() ?? '')) return command;
  rest = rest.slice(program[0].length);
  for (;;) {
    const option = /^([-+]\S*)(\s+|$)/.exec(rest);
    if (!option) return command;
    const flag = option[1] ?? '';
    rest = rest.slice(option[0].length);
    if (flag === '-o' || flag === '+o') {
      const value = /^\S+\s*/.exec(rest);
      rest = value ? rest.slice(value[0].length) : rest;
    } else if (flag.startsWith('-') && !flag.startsWith('--') && flag.includes('c')) {
      return rest;
    }
  }
}

/** Which instruction made a history entry, and its arguments. */
export function parseHistoryEntry(entry: ApiDocument): HistoryInstruction {
  const createdBy = str(entry, 'CreatedBy');
  let text = createdBy.trim().replace(/\s*# buildkit$/, '');
  let instruction = '';
  const nop = /^\/bin\/sh -c #\(nop\)\s*/.exec(text);
  if (nop) {
    text = text.slice(nop[0].length);
    const word = /^([A-Z]+)\b\s*/.exec(text);
    if (word && INSTRUCTIONS.has(word[1] ?? '')) {
      instruction = word[1] ?? '';
      text = text.slice(word[0].length);
    }
    return { instruction, args: text.trim(), buildArgs: {}, createdBy };
  }
  const word = /^([A-Z]+)\s+/.exec(text);
  if (word && INSTRUCTIONS.has(word[1] ?? '')) {
    instruction = word[1] ?? '';
    text = text.slice(word[0].length);
  } else if (text.startsWith('|') || stripShell(text) !== text) {
    instruction = 'RUN';
  } else {
    return { instruction: '', args: text, buildArgs: {}, createdBy };
  }
  if (instruction !== 'RUN') return { instruction, args: text.trim(), buildArgs: {}, createdBy };
  const { buildArgs, rest } = splitBuildArgs(text);
  return { instruction, args: stripShell(rest).trim(), buildArgs, createdBy };
}

/** The history entries of an image, oldest first, parsed. */
export function instructionsOf(history: ApiDocument[]): HistoryInstruction[] {
  return [...history].reverse().map(parseHistoryEntry);
}

/**
 * Splits a shell command line into simple commands, each a list of words with quotes removed:
 * `a && b | c; d` -> [[a], [b], [c], [d]]. Good enough for recognising what a RUN executes,
 * not a full shell parser (no heredocs, no expansions).
 */
export function splitShellCommands(command: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let index = 0; index < command.length; index += 1) {
    const char = command[index] ?? '';
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && index + 1 < command.length) word += command[++index];
      else word += char;
      continue;
    }
    if (char === '\\') {
      const next = command[index + 1];
      index += 1;
      if (next === '\n' || next === undefined) continue;
      word += next;
      inWord = true;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (char === '#' && !inWord) {
      while (index + 1 < command.length && command[index + 1] !== '\n') index += 1;
    } else if (';&|\n()'.includes(char)) {
      endCommand();
    } else if (/\s/.test(char)) {
      endWord();
    } else {
      word += char;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}

const SHELL_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}']);
const WRAPPERS = new Set(['sudo', 'env', 'nice', 'time', 'exec', 'command', 'nohup']);

/** The words of a simple command from its program on: keywords, `VAR=x` and `sudo`/`env` dropped. */
export function programWords(words: string[]): string[] {
  let index = 0;
  let afterWrapper = false;
  while (index < words.length) {
    const current = words[index] ?? '';
    if (WRAPPERS.has(current)) afterWrapper = true;
    else if (!(SHELL_KEYWORDS.has(current) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(current) || (afterWrapper && current.startsWith('-')))) break;
    index += 1;
  }
  const rest = words.slice(index);
  if (rest.length > 0) rest[0] = (rest[0] ?? '').split('/').pop() ?? '';
  return rest;
}
