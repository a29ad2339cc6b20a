/**
 * Dockerfile text handling shared by the file parser and the history reader: positions,
 * continuation lines, Docker's own word splitting and build-variable substitution.
 */
export { lineStarts, locator } from '../text-position.js';

export interface LogicalText {
  text: string;
  /**
   * Where runs of `text` come from: from `segments[i].at` on, characters are consecutive in the
   * file starting at `segments[i].offset`. Sorted by `at`; the first has `at` 0.
   */
  segments: { at: number; offset: number }[];
}

/** The file offset of `text[index]`. */
export function offsetIn(logical: LogicalText, index: number): number {
  const segments = logical.segments;
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((segments[middle] as { at: number }).at <= index) low = middle;
    else high = middle - 1;
  }
  const segment = segments[low] ?? { at: 0, offset: 0 };
  return segment.offset + (index - segment.at);
}

function isBlankOrComment(content: string, start: number, end: number): boolean {
  for (let index = start; index < end; index += 1) {
    const char = content[index];
    if (char === ' ' || char === '\t' || char === '\r') continue;
    return char === '#' || char === '\n';
  }
  return true;
}

/**
 * The arguments of an instruction as Docker reads them: continuation lines joined (the escape
 * character and the newline removed, blank and comment lines inside the continuation dropped).
 * With `heredoc`, everything after the first logical line is kept as written, bodies included.
 */
export function logicalText(content: string, start: number, end: number, escapeChar: string, heredoc: boolean): LogicalText {
  let text = '';
  const segments: { at: number; offset: number }[] = [];
  let index = start;
  while (index < end) {
    const lineEnd = content.indexOf('\n', index);
    const stop = lineEnd < 0 || lineEnd > end ? end : lineEnd;
    // A continuation: the escape character, then only blanks up to the end of the line.
    let last = stop - 1;
    while (last >= index && (content[last] === ' ' || content[last] === '\t' || content[last] === '\r')) last -= 1;
    const continued = last >= index && content[last] === escapeChar && stop < end;
    segments.push({ at: text.length, offset: index });
    text += content.slice(index, continued ? last : stop);
    if (!continued) {
      index = stop;
      break;
    }
    index = stop + 1;
    while (index < end) {
      const next = content.indexOf('\n', index);
      const nextStop = next < 0 || next > end ? end : next;
      if (!isBlankOrComment(content, index, nextStop)) break;
      index = nextStop + 1;
    }
  }
  if (heredoc && index < end) {
    segments.push({ at: text.length, offset: index });
    text += content.slice(index, end);
  }
  if (segments.length === 0) segments.push({ at: 0, offset: start });
  return { text: heredoc ? text : text.trimEnd(), segments };
}

/** `logical` without its first `count` characters. */
export function dropStart(logical: LogicalText, count: number): LogicalText {
  if (count === 0) return logical;
  const segments = [{ at: 0, offset: offsetIn(logical, count) }];
  for (const segment of logical.segments) {
    if (segment.at > count) segments.push({ at: segment.at - count, offset: segment.offset });
  }
  return { text: logical.text.slice(count), segments };
}

const FLAG = /^--([A-Za-z][\w-]*)(?:=("[^"]*"|'[^']*'|\S*))?(?=\s|$)/;

/**
 * Leading `--name[=value]` flags of FROM, RUN, COPY, ADD and HEALTHCHECK, split off the
 * arguments (quotes around a value removed), and the blanks before the arguments.
 */
export function splitFlags(logical: LogicalText, hasFlags: boolean): { flags: { name: string; value?: string }[]; rest: LogicalText } {
  const flags: { name: string; value?: string }[] = [];
  const text = logical.text;
  let index = 0;
  for (;;) {
    while (index < text.length && (text[index] === ' ' || text[index] === '\t')) index += 1;
    if (!hasFlags || !text.startsWith('--', index)) break;
    const match = FLAG.exec(text.slice(index, index + 4096));
    if (!match) break;
    const value = match[2];
    flags.push(value === undefined ? { name: match[1] as string } : { name: match[1] as string, value: value.replace(/^(["'])(.*)\1$/, '$2') });
    index += match[0].length;
  }
  return { flags, rest: dropStart(logical, index) };
}

/** A variable lookup: a string value, null when declared without a value, undefined when unknown. */
export type Lookup = (name: string) => string | null | undefined;

export interface Substituted {
  value: string;
  /** Variables that had no value. */
  unresolved: string[];
}

const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Replaces `$NAME`, `${NAME}`, `${NAME:-default}` and `${NAME:+alternative}` as Docker does. */
export function substitute(text: string, lookup: Lookup, escapeChar = '\\'): Substituted {
  const unresolved: string[] = [];
  if (!text.includes('$')) return { value: text, unresolved };
  const value = text.replace(VARIABLE, (whole, braced: string | undefined, operator: string | undefined, word: string | undefined, bare: string | undefined, offset: number) => {
    if (offset > 0 && text[offset - 1] === escapeChar) return whole;
    const name = (braced ?? bare) as string;
    const found = lookup(name);
    const set = typeof found === 'string' && (found !== '' || !operator?.startsWith(':'));
    if (operator?.endsWith('-')) return set ? (found as string) : substitute(word ?? '', lookup, escapeChar).value;
    if (operator?.endsWith('+')) return set ? substitute(word ?? '', lookup, escapeChar).value : '';
    if (typeof found === 'string') return found;
    unresolved.push(name);
    return whole;
  });
  return { value, unresolved };
}

/** A variable reference at `lastIndex`: `${…}` or `$NAME`. */
const VARIABLE_AT = /\$(?:\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)/y;

/** Whether `char` ends a run of characters that dockerWords copies as they are (outside quotes). */
function endsPlainRun(char: string, escapeChar: string): boolean {
  return char === escapeChar || char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '"' || char === "'" || char === '$';
}

/**
 * Splits arguments the way Docker does for shell-form EXPOSE, VOLUME, USER, WORKDIR, COPY, ADD:
 * on blanks, honouring quotes and the escape character, substituting variables outside single quotes.
 */
export function dockerWords(text: string, escapeChar: string, lookup?: Lookup): string[] {
  const words: string[] = [];
  let current = '';
  let started = false;
  let quote: string | undefined;
  const flushVariable = (index: number): number => {
    VARIABLE_AT.lastIndex = index;
    const match = VARIABLE_AT.exec(text);
    if (!match) {
      current += '$';
      return index + 1;
    }
    current += lookup ? substitute(match[0], lookup, escapeChar).value : match[0];
    return index + match[0].length;
  };
  for (let index = 0; index < text.length; ) {
    const char = text[index] as string;
    if (quote === "'") {
      // Up to the closing quote (or the end), taken as it is.
      const close = text.indexOf("'", index);
      current += text.slice(index, close < 0 ? text.length : close);
      if (close >= 0) quote = undefined;
      index = close < 0 ? text.length : close + 1;
    } else if (char === escapeChar && index + 1 < text.length) {
      current += text[index + 1];
      started = true;
      index += 2;
    } else if (quote === '"') {
      if (char === '"') {
        quote = undefined;
        index += 1;
      } else if (char === '$') index = flushVariable(index);
      else {
        let end = index + 1;
        while (end < text.length && text[end] !== '"' && text[end] !== '$' && text[end] !== escapeChar) end += 1;
        current += text.slice(index, end);
        index = end;
      }
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
      index += 1;
    } else if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      if (started || current !== '') words.push(current);
      current = '';
      started = false;
      index += 1;
    } else if (char === '$') {
      started = true;
      index = flushVariable(index);
    } else {
      let end = index + 1;
      while (end < text.length && !endsPlainRun(text[end] as string, escapeChar)) end += 1;
      current += text.slice(index, end);
      started = true;
      index = end;
    }
  }
  if (started || current !== '') words.push(current);
  return words;
}

/** The JSON (exec) form of an instruction's arguments, when they are a JSON array of strings. */
export function execForm(text: string): string[] | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? (parsed as string[]) : undefined;
  } catch {
    return undefined;
  }
}
