/**
 * The lexer half of the shell parser (./shell.ts): words, operators and heredocs.
 */
import type { DockerfileLocation, NestedKind, ShellCommand, ShellHeredoc, ShellProblem, ShellWord } from './types.js';

/** Maps an index in the parsed text to a place in the file. */
export type Locate = (index: number) => DockerfileLocation;

export type Token =
  | { kind: 'word'; word: ShellWord; raw: string; start: number }
  | { kind: 'op'; op: string; fd?: string; start: number }
  | { kind: 'newline'; start: number }
  | { kind: 'eof'; start: number };

/** Longest first, so `&&` wins over `&`. */
const OPERATORS = ['&>>', ';;&', '<<<', '<<-', '&&', '||', ';;', ';&', '&>', '|&', '<<', '<>', '<&', '>>', '>&', '>|', ';', '&', '|', '<', '>', '(', ')'];
const OPERATOR_CHARS = ';&|<>()';
/** A run of plain word characters at `lastIndex`: up to a blank, an operator, a quote, a backslash, `$` or a backquote. */
const PLAIN_RUN = /[^ \t\n\r;&|()<>\\'"$`]+/y;
/** The operator at `index`, which starts with one of OPERATOR_CHARS. */
function operatorAt(text: string, index: number): string {
  for (const operator of OPERATORS) if (text.startsWith(operator, index)) return operator;
  return text[index] as string;
}

export const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;

/** State shared by a script and every script nested in it. */
export interface Shared {
  commands: ShellCommand[];
  problems: ShellProblem[];
  nextPipeline: number;
  /** How many lists (subshells, groups, substitutions, nested scripts) enclose the one being read. */
  depth: number;
  /** Whether the nesting limit was reported already: once per script is enough. */
  tooDeep: boolean;
  /** Kind of nesting of a command not yet linked to the command that owns its word. */
  pendingKind: Map<number, NestedKind>;
}

/**
 * Lists nested deeper than this are skipped, not parsed, and reported as a problem: the parser
 * recurses once per level, and a hostile script would otherwise exhaust the stack. Real scripts
 * stay below ten.
 */
export const MAX_SHELL_DEPTH = 64;

/** A fresh state for a script. `nextPipeline` is the first pipeline id to hand out. */
export function sharedState(nextPipeline: number): Shared {
  return { commands: [], problems: [], nextPipeline, depth: 0, tooDeep: false, pendingKind: new Map() };
}

export interface PendingHeredoc {
  heredoc: ShellHeredoc;
  strip: boolean;
  bodyStart: number;
}

/** Where a heredoc body lies in the text, to parse heredoc-fed scripts in place. */
export interface HeredocSpan {
  heredoc: ShellHeredoc;
  start: number;
  end: number;
}

/**
 * Tokens of a shell script: words (quotes removed, expansions kept as written), operators,
 * newlines, and heredoc bodies read at the newline after their operator. Command and process
 * substitutions inside words are parsed by the subclass (`nested`, `parseText`), so their
 * commands are known when the word is.
 */
export abstract class ShellLexer {
  protected pos = 0;
  protected peeked: Token | undefined;
  protected pendingHeredocs: PendingHeredoc[] = [];
  /** Bodies read so far, by heredoc. */
  protected readonly spans = new Map<ShellHeredoc, HeredocSpan>();

  constructor(
    protected readonly text: string,
    protected readonly locate: Locate,
    protected readonly shared: Shared,
  ) {}

  /** Parses a list up to `)` after `$(` or `<(`, and returns the ids of its top-level commands. */
  protected abstract nested(kind: NestedKind): number[];

  /** Parses a separate text (a backquoted command) into the shared commands. */
  protected abstract parseText(text: string, locate: Locate): void;

  /** Whether lists at the current depth are too deep to parse; reports it once. */
  protected tooDeep(index: number): boolean {
    if (this.shared.depth < MAX_SHELL_DEPTH) return false;
    if (!this.shared.tooDeep) {
      this.shared.tooDeep = true;
      this.problem(index, `commands nested more than ${MAX_SHELL_DEPTH} levels deep are not analysed`);
    }
    return true;
  }

  protected problem(index: number, message: string): void {
    this.shared.problems.push({ message, location: this.locate(Math.min(index, Math.max(0, this.text.length - 1))) });
  }

  protected peek(): Token {
    this.peeked ??= this.lex();
    return this.peeked;
  }

  protected next(): Token {
    const token = this.peek();
    this.peeked = undefined;
    return token;
  }

  protected tokenText(token: Token): string {
    switch (token.kind) {
      case 'word':
        return token.raw;
      case 'op':
        return token.op;
      case 'newline':
        return 'newline';
      case 'eof':
        return 'end of script';
    }
  }

  private skipBlanks(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const char = text[this.pos];
      if (char === ' ' || char === '\t' || char === '\r') this.pos += 1;
      else if (char === '\\' && text[this.pos + 1] === '\n') this.pos += 2;
      else break;
    }
  }

  private lex(): Token {
    const text = this.text;
    for (;;) {
      this.skipBlanks();
      if (this.pos >= text.length) {
        if (this.pendingHeredocs.length > 0) this.readHeredocBodies();
        return { kind: 'eof', start: text.length };
      }
      const char = text[this.pos] as string;
      const start = this.pos;
      if (char === '#') {
        const end = text.indexOf('\n', this.pos);
        this.pos = end < 0 ? text.length : end;
        continue;
      }
      if (char === '\n') {
        this.pos += 1;
        if (this.pendingHeredocs.length > 0) this.readHeredocBodies();
        return { kind: 'newline', start };
      }
      if ((char === '<' || char === '>') && text[this.pos + 1] === '(') return this.lexWord();
      if (char >= '0' && char <= '9') {
        const fd = /^[0-9]+(?=[<>])/.exec(text.slice(this.pos, this.pos + 6));
        if (fd) {
          this.pos += fd[0].length;
          const op = operatorAt(text, this.pos);
          this.pos += op.length;
          return { kind: 'op', op, fd: fd[0], start };
        }
      }
      if (OPERATOR_CHARS.includes(char)) {
        const op = operatorAt(text, this.pos);
        this.pos += op.length;
        return { kind: 'op', op, start };
      }
      return this.lexWord();
    }
  }

  private lexWord(): Token {
    const text = this.text;
    const start = this.pos;
    const word: ShellWord = { value: '', literal: true, quoted: false, substitutions: [] };
    while (this.pos < text.length) {
      const char = text[this.pos] as string;
      if (char === ' ' || char === '\t' || char === '\n' || char === '\r') break;
      if ((char === '<' || char === '>') && text[this.pos + 1] === '(') {
        const open = this.pos;
        this.pos += 2;
        word.substitutions.push(...this.nested('process-substitution'));
        word.value += text.slice(open, this.pos);
        word.literal = false;
        continue;
      }
      if (char === '(' && ASSIGNMENT.test(text.slice(start, this.pos)) && text.slice(start, this.pos).endsWith('=')) {
        // NAME=(a b c): a bash array, kept as one word.
        const close = this.matchingParen(this.pos);
        word.value += text.slice(this.pos, close);
        this.pos = close;
        continue;
      }
      if (';&|()<>'.includes(char)) break;
      if (char === '\\') {
        if (text[this.pos + 1] === '\n') {
          this.pos += 2;
          continue;
        }
        word.value += text[this.pos + 1] ?? '';
        word.quoted = true;
        this.pos += 2;
        continue;
      }
      if (char === "'") {
        const close = text.indexOf("'", this.pos + 1);
        if (close < 0) {
          this.problem(this.pos, 'unterminated single quote');
          word.value += text.slice(this.pos + 1);
          this.pos = text.length;
        } else {
          word.value += text.slice(this.pos + 1, close);
          this.pos = close + 1;
        }
        word.quoted = true;
        continue;
      }
      if (char === '"') {
        this.lexDoubleQuoted(word);
        continue;
      }
      if (char === '$') {
        this.lexDollar(word, false);
        continue;
      }
      if (char === '`') {
        this.lexBackquote(word);
        continue;
      }
      // A run of plain characters is appended at once.
      PLAIN_RUN.lastIndex = this.pos + 1;
      const end = PLAIN_RUN.test(text) ? PLAIN_RUN.lastIndex : this.pos + 1;
      word.value += text.slice(this.pos, end);
      this.pos = end;
    }
    return { kind: 'word', word, raw: text.slice(start, this.pos), start };
  }

  private lexDoubleQuoted(word: ShellWord): void {
    const text = this.text;
    const open = this.pos;
    word.quoted = true;
    this.pos += 1;
    while (this.pos < text.length) {
      const char = text[this.pos] as string;
      if (char === '"') {
        this.pos += 1;
        return;
      }
      if (char === '\\') {
        const escaped = text[this.pos + 1];
        if (escaped === '\n') this.pos += 2;
        else if (escaped !== undefined && '$`"\\'.includes(escaped)) {
          word.value += escaped;
          this.pos += 2;
        } else {
          word.value += '\\';
          this.pos += 1;
        }
        continue;
      }
      if (char === '$') {
        this.lexDollar(word, true);
        continue;
      }
      if (char === '`') {
        this.lexBackquote(word);
        continue;
      }
      word.value += char;
      this.pos += 1;
    }
    this.problem(open, 'unterminated double quote');
  }

  private lexDollar(word: ShellWord, inDoubleQuotes: boolean): void {
    const text = this.text;
    const start = this.pos;
    const next = text[this.pos + 1];
    if (next === '(' && text[this.pos + 2] === '(') {
      this.pos = this.matchingParen(this.pos + 1);
      word.literal = false;
    } else if (next === '(') {
      this.pos += 2;
      word.substitutions.push(...this.nested('substitution'));
      word.literal = false;
    } else if (next === '{') {
      let depth = 0;
      let index = this.pos + 1;
      for (; index < text.length; index += 1) {
        const char = text[index];
        if (char === '\\') index += 1;
        else if (char === '{') depth += 1;
        else if (char === '}' && --depth === 0) break;
      }
      if (index >= text.length) this.problem(start, 'unterminated ${');
      this.pos = Math.min(index + 1, text.length);
      word.literal = false;
    } else if (next === "'" && !inDoubleQuotes) {
      let index = this.pos + 2;
      let value = '';
      for (; index < text.length && text[index] !== "'"; index += 1) {
        if (text[index] === '\\') index += 1;
        value += text[index] ?? '';
      }
      if (index >= text.length) this.problem(start, "unterminated $'");
      word.value += value;
      word.quoted = true;
      this.pos = Math.min(index + 1, text.length);
      return;
    } else if (next === '"' && !inDoubleQuotes) {
      this.pos += 1;
      this.lexDoubleQuoted(word);
      return;
    } else if (next !== undefined && /[A-Za-z_]/.test(next)) {
      this.pos += 2;
      while (this.pos < text.length && /[A-Za-z0-9_]/.test(text[this.pos] as string)) this.pos += 1;
      word.literal = false;
    } else if (next !== undefined && /[0-9@*#?$!-]/.test(next)) {
      this.pos += 2;
      word.literal = false;
    } else {
      this.pos += 1;
    }
    word.value += text.slice(start, this.pos);
  }

  private lexBackquote(word: ShellWord): void {
    const text = this.text;
    const open = this.pos;
    let index = open + 1;
    while (index < text.length && text[index] !== '`') index += text[index] === '\\' ? 2 : 1;
    if (index >= text.length) this.problem(open, 'unterminated backquote');
    const inner = text.slice(open + 1, Math.min(index, text.length)).replace(/\\([`\\$])/g, '$1');
    this.pos = Math.min(index + 1, text.length);
    const first = this.shared.commands.length;
    const at = this.locate(open);
    this.parseText(inner, () => at);
    word.substitutions.push(...this.orphans(first, 'substitution'));
    word.value += text.slice(open, this.pos);
    word.literal = false;
  }

  /** Index just after the parenthesis matching the one at `open` (quotes skipped). */
  protected matchingParen(open: number): number {
    const text = this.text;
    let depth = 0;
    for (let index = open; index < text.length; index += 1) {
      const char = text[index];
      if (char === '\\') index += 1;
      else if (char === "'") {
        const close = text.indexOf("'", index + 1);
        index = close < 0 ? text.length : close;
      } else if (char === '(') depth += 1;
      else if (char === ')' && --depth === 0) return index + 1;
    }
    this.problem(open, 'unterminated parenthesis');
    return text.length;
  }

  /** Commands created since `first` that no command owns yet: the direct children of a word. */
  protected orphans(first: number, kind: NestedKind): number[] {
    const ids: number[] = [];
    for (let id = first; id < this.shared.commands.length; id += 1) {
      const command = this.shared.commands[id];
      if (command && command.parent === undefined && !this.shared.pendingKind.has(id)) {
        this.shared.pendingKind.set(id, kind);
        ids.push(id);
      }
    }
    return ids;
  }

  private readHeredocBodies(): void {
    const text = this.text;
    for (const pending of this.pendingHeredocs) {
      const bodyStart = this.pos;
      const lines: string[] = [];
      let closed = false;
      while (this.pos < text.length) {
        const end = text.indexOf('\n', this.pos);
        const lineEnd = end < 0 ? text.length : end;
        const line = text.slice(this.pos, lineEnd);
        this.pos = end < 0 ? text.length : end + 1;
        if ((pending.strip ? line.replace(/^\t+/, '') : line).replace(/\r$/, '') === pending.heredoc.delimiter) {
          closed = true;
          break;
        }
        lines.push(line);
      }
      pending.heredoc.body = lines.join('\n');
      pending.heredoc.closed = closed;
      this.spans.set(pending.heredoc, { heredoc: pending.heredoc, start: bodyStart, end: bodyStart + pending.heredoc.body.length });
      if (!closed) this.problem(pending.bodyStart, `heredoc <<${pending.heredoc.delimiter} is never closed`);
    }
    this.pendingHeredocs = [];
  }
}
