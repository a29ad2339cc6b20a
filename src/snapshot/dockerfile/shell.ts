/**
 * A POSIX shell parser (with the bash forms Dockerfiles use) that turns a RUN script into the
 * simple commands it executes: words with quotes removed, the operators between commands,
 * pipelines, redirections, heredocs, and the commands inside $(…), `…`, <(…), `sh -c '…'`
 * and heredoc-fed shells.
 *
 * Written here rather than taken from sh-syntax: that package's WASM API is asynchronous
 * and its JSON output drops the contents of commands (each command is only a position range),
 * so rules could not read words from it.
 */
import type {
  DockerfileLocation,
  NestedKind,
  PipePosition,
  ShellCommand,
  ShellConnector,
  ShellHeredoc,
  ShellProblem,
  ShellRedirect,
  ShellScript,
  ShellWord,
} from './types.js';
import { POSIX_SHELLS, programName, shellReadsStdin, shellScriptArgument, unwrapProgram } from './wrappers.js';

/** Maps an index in the parsed text to a place in the file. */
export type Locate = (index: number) => DockerfileLocation;

type Token =
  | { kind: 'word'; word: ShellWord; raw: string; start: number }
  | { kind: 'op'; op: string; fd?: string; start: number }
  | { kind: 'newline'; start: number }
  | { kind: 'eof'; start: number };

/** Longest first, so `&&` wins over `&`. */
const OPERATORS = ['&>>', ';;&', '<<<', '<<-', '&&', '||', ';;', ';&', '&>', '|&', '<<', '<>', '<&', '>>', '>&', '>|', ';', '&', '|', '<', '>', '(', ')'];
const OPERATOR_CHARS = ';&|<>()';
/** Characters that end a run of plain word characters. */
const SPECIAL_IN_WORD: ReadonlySet<string> = new Set([' ', '\t', '\n', '\r', ';', '&', '|', '(', ')', '<', '>', '\\', "'", '"', '$', '`']);
const REDIRECTS: ReadonlySet<string> = new Set(['<', '>', '>>', '<>', '<&', '>&', '>|', '&>', '&>>', '<<', '<<-', '<<<']);
const CLOSERS: ReadonlySet<string> = new Set(['then', 'do', 'done', 'fi', 'esac', 'elif', 'else', '}']);
const NO_STOP: ReadonlySet<string> = new Set();
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;

/** State shared by a script and every script nested in it. */
interface Shared {
  commands: ShellCommand[];
  problems: ShellProblem[];
  nextPipeline: number;
  /** Kind of nesting of a command not yet linked to the command that owns its word. */
  pendingKind: Map<number, NestedKind>;
}

interface PendingHeredoc {
  heredoc: ShellHeredoc;
  strip: boolean;
  bodyStart: number;
}

/** Where each heredoc body starts in the text of its parser, to parse heredoc-fed scripts in place. */
interface HeredocSpan {
  heredoc: ShellHeredoc;
  start: number;
  end: number;
}

class Parser {
  private pos = 0;
  private peeked: Token | undefined;
  private pendingHeredocs: PendingHeredoc[] = [];
  private readonly spans: HeredocSpan[] = [];
  private connector: ShellConnector | undefined;
  private pipes: PipePosition[] = [];

  constructor(
    private readonly text: string,
    private readonly locate: Locate,
    private readonly shared: Shared,
  ) {}

  /** Parses the whole text. */
  parseScript(): void {
    this.parseList(NO_STOP, NO_STOP);
    if (this.peek().kind !== 'eof') this.problem(this.peek().start, `unexpected "${this.tokenText(this.peek())}"`);
  }

  // ---- lexer ----------------------------------------------------------------------------

  private problem(index: number, message: string): void {
    this.shared.problems.push({ message, location: this.locate(Math.min(index, Math.max(0, this.text.length - 1))) });
  }

  private peek(): Token {
    this.peeked ??= this.lex();
    return this.peeked;
  }

  private next(): Token {
    const token = this.peek();
    this.peeked = undefined;
    return token;
  }

  private tokenText(token: Token): string {
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
          const op = OPERATORS.find((candidate) => text.startsWith(candidate, this.pos)) as string;
          this.pos += op.length;
          return { kind: 'op', op, fd: fd[0], start };
        }
      }
      if (OPERATOR_CHARS.includes(char)) {
        const op = OPERATORS.find((candidate) => text.startsWith(candidate, this.pos)) as string;
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
      let end = this.pos + 1;
      while (end < text.length && !SPECIAL_IN_WORD.has(text[end] as string)) end += 1;
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
    parseInto(inner, () => at, this.shared);
    word.substitutions.push(...this.orphans(first, 'substitution'));
    word.value += text.slice(open, this.pos);
    word.literal = false;
  }

  /** Index just after the parenthesis matching the one at `open` (quotes skipped). */
  private matchingParen(open: number): number {
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

  /** Parses a nested list up to `)` (after `$(` or `<(`) and returns its top-level commands. */
  private nested(kind: NestedKind): number[] {
    const open = this.pos - 2;
    const first = this.shared.commands.length;
    const saved = { connector: this.connector, pipes: this.pipes };
    this.connector = undefined;
    this.pipes = [];
    const ending = this.parseList(NO_STOP, new Set([')']));
    if (ending === ')') this.next();
    else this.problem(open, kind === 'substitution' ? 'unterminated $(' : 'unterminated process substitution');
    this.connector = saved.connector;
    this.pipes = saved.pipes;
    return this.orphans(first, kind);
  }

  /** Commands created since `first` that no command owns yet: the direct children of a word. */
  private orphans(first: number, kind: NestedKind): number[] {
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
      this.spans.push({ heredoc: pending.heredoc, start: bodyStart, end: bodyStart + pending.heredoc.body.length });
      if (!closed) this.problem(pending.bodyStart, `heredoc <<${pending.heredoc.delimiter} is never closed`);
    }
    this.pendingHeredocs = [];
  }

  // ---- parser ---------------------------------------------------------------------------

  private isWord(token: Token, value: string): boolean {
    return token.kind === 'word' && token.raw === value;
  }

  private skipNewlines(): void {
    while (this.peek().kind === 'newline') this.next();
  }

  /** Parses commands until a stop word (at command position), a stop operator or the end. */
  private parseList(stopWords: ReadonlySet<string>, stopOps: ReadonlySet<string>): string | undefined {
    for (;;) {
      const token = this.peek();
      if (token.kind === 'eof') return undefined;
      if (token.kind === 'newline') {
        this.next();
        continue;
      }
      if (token.kind === 'op' && stopOps.has(token.op)) return token.op;
      if (token.kind === 'word' && stopWords.has(token.raw)) return token.raw;
      if (token.kind === 'op' && (token.op === ';' || token.op === '&' || token.op === ')' || token.op === ';;')) {
        this.problem(token.start, `unexpected "${token.op}"`);
        this.next();
        continue;
      }
      if (token.kind === 'word' && CLOSERS.has(token.raw)) {
        this.problem(token.start, `unexpected "${token.raw}"`);
        this.next();
        continue;
      }
      this.parseAndOr(stopWords, stopOps);
      const after = this.peek();
      if (after.kind === 'op' && (after.op === ';' || after.op === '&')) {
        this.next();
        this.connector = after.op;
      } else if (after.kind === 'newline') {
        this.next();
        this.connector = ';';
      } else if (after.kind === 'word' && !stopWords.has(after.raw)) {
        this.problem(after.start, `unexpected "${after.raw}"`);
        this.next();
      }
    }
  }

  private startsCommand(token: Token, stopWords: ReadonlySet<string>, stopOps: ReadonlySet<string>): boolean {
    if (token.kind === 'word') return !stopWords.has(token.raw) && !CLOSERS.has(token.raw);
    if (token.kind === 'op') return !stopOps.has(token.op) && (token.op === '(' || REDIRECTS.has(token.op));
    return false;
  }

  private parseAndOr(stopWords: ReadonlySet<string>, stopOps: ReadonlySet<string>): void {
    this.parsePipeline(stopWords, stopOps);
    for (let token = this.peek(); token.kind === 'op' && (token.op === '&&' || token.op === '||'); token = this.peek()) {
      this.next();
      this.connector = token.op as ShellConnector;
      this.skipNewlines();
      if (!this.startsCommand(this.peek(), stopWords, stopOps)) {
        this.problem(token.start, `expected a command after "${token.op}"`);
        return;
      }
      this.parsePipeline(stopWords, stopOps);
    }
  }

  private parsePipeline(stopWords: ReadonlySet<string>, stopOps: ReadonlySet<string>): void {
    if (this.isWord(this.peek(), '!')) this.next();
    const position: PipePosition = { pipeline: this.shared.nextPipeline++, position: 0 };
    this.pipes = [...this.pipes, position];
    this.parseCommand();
    for (let token = this.peek(); token.kind === 'op' && (token.op === '|' || token.op === '|&'); token = this.peek()) {
      this.next();
      this.connector = token.op as ShellConnector;
      this.skipNewlines();
      if (!this.startsCommand(this.peek(), stopWords, stopOps)) {
        this.problem(token.start, `expected a command after "${token.op}"`);
        break;
      }
      // A new object: commands already made keep the position they had.
      this.pipes = [...this.pipes.slice(0, -1), { pipeline: position.pipeline, position: (this.pipes.at(-1)?.position ?? 0) + 1 }];
      this.parseCommand();
    }
    this.pipes = this.pipes.slice(0, -1);
  }

  private expectWord(value: string, opener: Token): boolean {
    if (this.isWord(this.peek(), value)) {
      this.next();
      return true;
    }
    this.problem(opener.start, `"${this.tokenText(opener)}" without "${value}"`);
    return false;
  }

  private parseCommand(): void {
    const token = this.peek();
    if (token.kind === 'word') {
      switch (token.raw) {
        case 'if':
          return this.parseIf();
        case 'while':
        case 'until':
          this.next();
          this.parseList(new Set(['do']), NO_STOP);
          return this.parseDoGroup(token);
        case 'for':
        case 'select':
          return this.parseFor();
        case 'case':
          return this.parseCase();
        case '{':
          this.next();
          this.parseList(new Set(['}']), NO_STOP);
          this.expectWord('}', token);
          return this.parseTrailingRedirects();
        case '[[':
          return this.parseTest();
        case 'function':
          this.next();
          this.next();
          if (this.peek().kind === 'op' && (this.peek() as { op: string }).op === '(') {
            this.next();
            this.next();
          }
          this.skipNewlines();
          return this.parseCommand();
      }
      return this.parseSimple();
    }
    if (token.kind === 'op' && token.op === '(') {
      if (this.text[token.start + 1] === '(') {
        // (( arithmetic )): nothing runs.
        this.peeked = undefined;
        this.pos = this.matchingParen(token.start);
        return;
      }
      this.next();
      const ending = this.parseList(NO_STOP, new Set([')']));
      if (ending === ')') this.next();
      else this.problem(token.start, 'unterminated subshell "("');
      return this.parseTrailingRedirects();
    }
    if (token.kind === 'op' && REDIRECTS.has(token.op)) return this.parseSimple();
    this.problem(token.start, `unexpected "${this.tokenText(token)}"`);
    this.next();
  }

  private parseIf(): void {
    const opener = this.next();
    this.parseList(new Set(['then']), NO_STOP);
    if (!this.expectWord('then', opener)) return;
    const branches = new Set(['elif', 'else', 'fi']);
    let ending = this.parseList(branches, NO_STOP);
    while (ending === 'elif') {
      this.next();
      this.parseList(new Set(['then']), NO_STOP);
      if (!this.expectWord('then', opener)) return;
      ending = this.parseList(branches, NO_STOP);
    }
    if (ending === 'else') {
      this.next();
      this.parseList(new Set(['fi']), NO_STOP);
    }
    this.expectWord('fi', opener);
    this.parseTrailingRedirects();
  }

  private parseDoGroup(opener: Token): void {
    if (!this.expectWord('do', opener)) return;
    this.parseList(new Set(['done']), NO_STOP);
    this.expectWord('done', opener);
    this.parseTrailingRedirects();
  }

  private parseFor(): void {
    const opener = this.next();
    const after = this.peek();
    if (after.kind === 'op' && after.op === '(') {
      this.peeked = undefined;
      this.pos = this.matchingParen(after.start);
    } else {
      this.next();
    }
    for (let token = this.peek(); token.kind === 'word' && token.raw !== 'do'; token = this.peek()) this.next();
    const separator = this.peek();
    if (separator.kind === 'op' && separator.op === ';') this.next();
    this.skipNewlines();
    this.parseDoGroup(opener);
  }

  private parseCase(): void {
    const opener = this.next();
    this.next();
    this.skipNewlines();
    if (!this.expectWord('in', opener)) return;
    const itemEnds = new Set([';;', ';&', ';;&']);
    for (;;) {
      this.skipNewlines();
      const token = this.peek();
      if (this.isWord(token, 'esac')) {
        this.next();
        return this.parseTrailingRedirects();
      }
      if (token.kind === 'eof') {
        this.problem(opener.start, '"case" without "esac"');
        return;
      }
      if (token.kind === 'op' && token.op === '(') this.next();
      for (let part = this.peek(); part.kind === 'word' || (part.kind === 'op' && part.op === '|'); part = this.peek()) this.next();
      const close = this.peek();
      if (close.kind !== 'op' || close.op !== ')') {
        this.problem(close.start, 'expected ")" after a case pattern');
        return;
      }
      this.next();
      const ending = this.parseList(new Set(['esac']), itemEnds);
      if (ending !== undefined && itemEnds.has(ending)) this.next();
    }
  }

  private parseTest(): void {
    const opener = this.peek();
    const slot = this.reserve();
    const argv: ShellWord[] = [];
    for (;;) {
      const token = this.next();
      if (token.kind === 'eof' || token.kind === 'newline') {
        this.problem(opener.start, '"[[" without "]]"');
        break;
      }
      argv.push(token.kind === 'word' ? token.word : { value: this.tokenText(token), literal: true, quoted: false, substitutions: [] });
      if (token.kind === 'word' && token.raw === ']]') break;
    }
    this.finish(slot, opener.start, argv, [], []);
  }

  private parseTrailingRedirects(): void {
    for (let token = this.peek(); token.kind === 'op' && REDIRECTS.has(token.op); token = this.peek()) {
      this.next();
      this.readRedirect(token);
    }
  }

  private readRedirect(token: Token & { kind: 'op' }): ShellRedirect {
    const redirect: ShellRedirect = { operator: token.op, ...(token.fd ? { fd: token.fd } : {}) };
    const target = this.peek();
    if (target.kind !== 'word') {
      this.problem(token.start, `missing target after "${token.op}"`);
      return redirect;
    }
    this.next();
    if (token.op === '<<' || token.op === '<<-') {
      const heredoc: ShellHeredoc = { delimiter: target.word.value, body: '', quoted: target.word.quoted, closed: false };
      redirect.heredoc = heredoc;
      this.pendingHeredocs.push({ heredoc, strip: token.op === '<<-', bodyStart: token.start });
    } else {
      redirect.target = target.word;
    }
    return redirect;
  }

  /** Reserves the command's id before its words are read, so ids follow source order. */
  private reserve(): number {
    const id = this.shared.commands.length;
    this.shared.commands.push(undefined as unknown as ShellCommand);
    return id;
  }

  private parseSimple(): void {
    const start = this.peek().start;
    const slot = this.reserve();
    const argv: ShellWord[] = [];
    const assignments: { name: string; value: ShellWord }[] = [];
    const redirects: ShellRedirect[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind === 'word') {
        this.next();
        const assignment = argv.length === 0 ? ASSIGNMENT.exec(token.raw) : null;
        if (assignment) {
          const name = assignment[0].replace(/\+?=$/, '');
          const value = token.word.value.slice(token.word.value.indexOf('=') + 1);
          assignments.push({ name, value: { ...token.word, value } });
        } else {
          argv.push(token.word);
        }
        if (argv.length === 1 && assignments.length === 0 && this.isFunctionDefinition()) {
          this.finish(slot, start, [], [], []);
          this.skipNewlines();
          return this.parseCommand();
        }
        continue;
      }
      if (token.kind === 'op' && REDIRECTS.has(token.op)) {
        this.next();
        redirects.push(this.readRedirect(token));
        continue;
      }
      break;
    }
    this.finish(slot, start, argv, assignments, redirects);
  }

  /** `name() { … }`: consumes the `()` when present. */
  private isFunctionDefinition(): boolean {
    const token = this.peek();
    if (token.kind !== 'op' || token.op !== '(') return false;
    if (!/^[ \t]*\)/.test(this.text.slice(this.pos, this.pos + 16))) return false;
    this.next();
    this.next();
    return true;
  }

  private finish(slot: number, start: number, argv: ShellWord[], assignments: ShellCommand['assignments'], redirects: ShellRedirect[]): void {
    const values = argv.map((word) => word.value);
    const unwrapped = unwrapProgram(
      values,
      argv.map((word) => word.literal),
      0,
    );
    const programWord = unwrapped.index >= 0 ? values[unwrapped.index] : undefined;
    const command: ShellCommand = {
      id: slot,
      argv,
      assignments: [...assignments, ...unwrapped.assignments.map(({ name, index }) => ({ name, value: wordAfterEquals(argv[index] as ShellWord) }))],
      redirects,
      program: programWord === undefined ? '' : programName(programWord),
      programIndex: unwrapped.index,
      args: unwrapped.index >= 0 ? values.slice(unwrapped.index + 1) : [],
      wrappers: unwrapped.wrappers,
      ...(this.connector ? { connector: this.connector } : {}),
      pipes: this.pipes,
      location: this.locate(start),
    };
    this.connector = undefined;
    this.shared.commands[slot] = command;
    for (const word of [...argv, ...assignments.map((assignment) => assignment.value), ...redirects.flatMap((redirect) => (redirect.target ? [redirect.target] : []))]) {
      for (const id of word.substitutions) {
        const child = this.shared.commands[id];
        const kind = this.shared.pendingKind.get(id);
        if (child && kind) {
          child.parent = { id: slot, kind };
          this.shared.pendingKind.delete(id);
        }
      }
    }
    this.parseNestedScripts(command);
  }

  /** `sh -c 'script'` and shells fed a heredoc run a script of their own: parse it too. */
  private parseNestedScripts(command: ShellCommand): void {
    const scriptIndex = shellScriptArgument(command.program, command.args);
    if (scriptIndex >= 0) {
      const word = command.argv[command.programIndex + 1 + scriptIndex];
      if (word && word.substitutions.length === 0) this.parseChild(command, 'shell-c', word.value, () => command.location);
    }
    const runsHeredoc = command.argv.length === 0 || (scriptIndex < 0 && shellReadsStdin(command.program, command.args));
    if (!runsHeredoc) return;
    for (const redirect of command.redirects) {
      const heredoc = redirect.heredoc;
      if (!heredoc) continue;
      // The body is read at the next newline; wait for it when it has not been read yet.
      this.afterHeredoc(heredoc, (span) => {
        const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(heredoc.body);
        if (shebang) {
          const interpreter = programName(shebang[1] === '/usr/bin/env' ? (shebang[2] ?? '') : (shebang[1] ?? ''));
          if (!POSIX_SHELLS.has(interpreter)) return;
        }
        this.parseChild(command, 'heredoc', this.text.slice(span.start, span.end), (index) => this.locate(span.start + index));
      });
    }
  }

  private readonly heredocWaiters: { heredoc: ShellHeredoc; run: (span: HeredocSpan) => void }[] = [];

  private afterHeredoc(heredoc: ShellHeredoc, run: (span: HeredocSpan) => void): void {
    const span = this.spans.find((candidate) => candidate.heredoc === heredoc);
    if (span) run(span);
    else this.heredocWaiters.push({ heredoc, run });
  }

  /** Runs the heredoc-fed parses whose bodies have been read by now. */
  flushHeredocWaiters(): void {
    for (const waiter of this.heredocWaiters.splice(0)) {
      const span = this.spans.find((candidate) => candidate.heredoc === waiter.heredoc);
      if (span) waiter.run(span);
    }
  }

  private parseChild(owner: ShellCommand, kind: NestedKind, text: string, locate: Locate): void {
    const first = this.shared.commands.length;
    parseInto(text, locate, this.shared);
    for (let id = first; id < this.shared.commands.length; id += 1) {
      const child = this.shared.commands[id];
      if (child && child.parent === undefined && !this.shared.pendingKind.has(id)) child.parent = { id: owner.id, kind };
    }
  }
}

function wordAfterEquals(word: ShellWord): ShellWord {
  return { ...word, value: word.value.slice(word.value.indexOf('=') + 1) };
}

function parseInto(text: string, locate: Locate, shared: Shared): void {
  const parser = new Parser(text, locate, shared);
  parser.parseScript();
  parser.flushHeredocWaiters();
}

/** Parses `text` as a POSIX shell script. `locate` maps text indices to file positions. */
export function parseShell(text: string, locate: Locate): ShellScript {
  const shared: Shared = { commands: [], problems: [], nextPipeline: 0, pendingKind: new Map() };
  parseInto(text, locate, shared);
  return { dialect: 'posix', commands: shared.commands, problems: shared.problems };
}

/**
 * An exec-form command (`["sh", "-c", "…"]`): one command of literal words; a shell's `-c`
 * script in it is parsed as shell.
 */
export function execCommand(argv: readonly string[], location: DockerfileLocation): ShellScript {
  const shared: Shared = { commands: [], problems: [], nextPipeline: 1, pendingKind: new Map() };
  const words = argv.map((value): ShellWord => ({ value, literal: true, quoted: true, substitutions: [] }));
  const unwrapped = unwrapProgram(argv, argv.map(() => true), 0);
  const command: ShellCommand = {
    id: 0,
    argv: words,
    assignments: unwrapped.assignments.map(({ name, index }) => ({ name, value: wordAfterEquals(words[index] as ShellWord) })),
    redirects: [],
    program: unwrapped.index >= 0 ? programName(argv[unwrapped.index] as string) : '',
    programIndex: unwrapped.index,
    args: unwrapped.index >= 0 ? argv.slice(unwrapped.index + 1) : [],
    wrappers: unwrapped.wrappers,
    pipes: [{ pipeline: 0, position: 0 }],
    location,
  };
  shared.commands.push(command);
  const scriptIndex = shellScriptArgument(command.program, command.args);
  const script = scriptIndex >= 0 ? command.args[scriptIndex] : undefined;
  if (script !== undefined) {
    parseInto(script, () => location, shared);
    for (const child of shared.commands.slice(1)) child.parent ??= { id: 0, kind: 'shell-c' };
  }
  return { dialect: 'exec', commands: shared.commands, problems: shared.problems };
}
