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
import type { DockerfileLocation, NestedKind, PipePosition, ShellCommand, ShellConnector, ShellHeredoc, ShellRedirect, ShellScript, ShellWord } from './types.js';
import { ASSIGNMENT, sharedState, ShellLexer, type HeredocSpan, type Locate, type Shared, type Token } from './shell-lexer.js';
import { POSIX_SHELLS, programName, shellReadsStdin, shellScriptArgument, unwrapProgram } from './wrappers.js';

export type { Locate } from './shell-lexer.js';

const REDIRECTS: ReadonlySet<string> = new Set(['<', '>', '>>', '<>', '<&', '>&', '>|', '&>', '&>>', '<<', '<<-', '<<<']);
const CLOSERS: ReadonlySet<string> = new Set(['then', 'do', 'done', 'fi', 'esac', 'elif', 'else', '}']);
const NO_STOP: ReadonlySet<string> = new Set();
const CLOSE_PAREN: ReadonlySet<string> = new Set([')']);
const SKIP_OPENERS: ReadonlySet<string> = new Set(['if', 'case', 'do', '{']);
const SKIP_CLOSERS: ReadonlySet<string> = new Set(['fi', 'esac', 'done', '}']);

class Parser extends ShellLexer {
  private connector: ShellConnector | undefined;
  private pipes: PipePosition[] = [];

  /** Parses the whole text. */
  parseScript(): void {
    this.parseList(NO_STOP, NO_STOP);
    if (this.peek().kind !== 'eof') this.problem(this.peek().start, `unexpected "${this.tokenText(this.peek())}"`);
  }

  /** Parses a nested list up to `)` (after `$(` or `<(`) and returns its top-level commands. */
  protected nested(kind: NestedKind): number[] {
    const open = this.pos - 2;
    if (this.tooDeep(open)) {
      this.pos = this.matchingParen(open + 1);
      return [];
    }
    const first = this.shared.commands.length;
    const saved = { connector: this.connector, pipes: this.pipes };
    this.connector = undefined;
    this.pipes = [];
    const ending = this.parseList(NO_STOP, CLOSE_PAREN);
    if (ending === ')') this.next();
    else this.problem(open, kind === 'substitution' ? 'unterminated $(' : 'unterminated process substitution');
    this.connector = saved.connector;
    this.pipes = saved.pipes;
    return this.orphans(first, kind);
  }

  protected parseText(text: string, locate: Locate): void {
    if (!this.tooDeep(this.pos)) parseInto(text, locate, this.shared);
  }

  private isWord(token: Token, value: string): boolean {
    return token.kind === 'word' && token.raw === value;
  }

  private skipNewlines(): void {
    while (this.peek().kind === 'newline') this.next();
  }

  /** Parses commands until a stop word (at command position), a stop operator or the end. */
  private parseList(stopWords: ReadonlySet<string>, stopOps: ReadonlySet<string>): string | undefined {
    if (this.tooDeep(this.peek().start)) return this.skipList(stopWords, stopOps);
    this.shared.depth += 1;
    try {
      return this.parseListItems(stopWords, stopOps);
    } finally {
      this.shared.depth -= 1;
    }
  }

  /**
   * Passes over a list too deep to parse, without recursing: up to its stop word or operator at
   * its own level, counting the openers and closers of compound commands on the way.
   */
  private skipList(stopWords: ReadonlySet<string>, stopOps: ReadonlySet<string>): string | undefined {
    let open = 0;
    for (let token = this.peek(); token.kind !== 'eof'; token = this.peek()) {
      if (open === 0 && token.kind === 'op' && stopOps.has(token.op)) return token.op;
      if (open === 0 && token.kind === 'word' && stopWords.has(token.raw)) return token.raw;
      if (token.kind === 'op' && token.op === '(') open += 1;
      else if (token.kind === 'op' && token.op === ')') open = Math.max(0, open - 1);
      else if (token.kind === 'word' && SKIP_OPENERS.has(token.raw)) open += 1;
      else if (token.kind === 'word' && SKIP_CLOSERS.has(token.raw)) open = Math.max(0, open - 1);
      this.next();
    }
    return undefined;
  }

  private parseListItems(stopWords: ReadonlySet<string>, stopOps: ReadonlySet<string>): string | undefined {
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
    const outer = this.pipes;
    this.pipes = [...outer, position];
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
      this.pipes = [...outer, { pipeline: position.pipeline, position: (this.pipes.at(-1)?.position ?? 0) + 1 }];
      this.parseCommand();
    }
    this.pipes = outer;
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
          return this.parseBody();
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

  /** A function's body, one level deeper than its definition (`f() g() h() …` nests). */
  private parseBody(): void {
    if (this.tooDeep(this.peek().start)) {
      this.skipList(NO_STOP, NO_STOP);
      return;
    }
    this.shared.depth += 1;
    try {
      this.parseCommand();
    } finally {
      this.shared.depth -= 1;
    }
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
          return this.parseBody();
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
    // The commands inside this command's words are its children.
    for (const word of argv) this.adoptSubstitutions(word, slot);
    for (const assignment of assignments) this.adoptSubstitutions(assignment.value, slot);
    for (const redirect of redirects) if (redirect.target) this.adoptSubstitutions(redirect.target, slot);
    const values: string[] = [];
    const literal: boolean[] = [];
    for (const word of argv) {
      values.push(word.value);
      literal.push(word.literal);
    }
    const unwrapped = unwrapProgram(values, literal, 0);
    for (const { name, index } of unwrapped.assignments) assignments.push({ name, value: wordAfterEquals(argv[index] as ShellWord) });
    const programWord = unwrapped.index >= 0 ? values[unwrapped.index] : undefined;
    const command: ShellCommand = {
      id: slot,
      argv,
      assignments,
      redirects,
      program: programWord === undefined ? '' : programName(programWord),
      programIndex: unwrapped.index,
      args: unwrapped.index >= 0 ? values.slice(unwrapped.index + 1) : [],
      wrappers: unwrapped.wrappers,
      pipes: this.pipes,
      location: this.locate(start),
    };
    if (this.connector) command.connector = this.connector;
    this.connector = undefined;
    this.shared.commands[slot] = command;
    this.parseNestedScripts(command);
  }

  private adoptSubstitutions(word: ShellWord, slot: number): void {
    for (const id of word.substitutions) {
      const child = this.shared.commands[id];
      const kind = this.shared.pendingKind.get(id);
      if (child && kind) {
        child.parent = { id: slot, kind };
        this.shared.pendingKind.delete(id);
      }
    }
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
    const span = this.spans.get(heredoc);
    if (span) run(span);
    else this.heredocWaiters.push({ heredoc, run });
  }

  /** Runs the heredoc-fed parses whose bodies have been read by now. */
  flushHeredocWaiters(): void {
    for (const waiter of this.heredocWaiters.splice(0)) {
      const span = this.spans.get(waiter.heredoc);
      if (span) waiter.run(span);
    }
  }

  private parseChild(owner: ShellCommand, kind: NestedKind, text: string, locate: Locate): void {
    if (this.tooDeep(this.pos)) return;
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
  // A nested script is a level of its own, heredoc-fed ones parsed after their parent included.
  shared.depth += 1;
  try {
    parser.parseScript();
    parser.flushHeredocWaiters();
  } finally {
    shared.depth -= 1;
  }
}

/** Parses `text` as a POSIX shell script. `locate` maps text indices to file positions. */
export function parseShell(text: string, locate: Locate): ShellScript {
  const shared = sharedState(0);
  parseInto(text, locate, shared);
  return { dialect: 'posix', commands: shared.commands, problems: shared.problems };
}

/**
 * An exec-form command (`["sh", "-c", "…"]`): one command of literal words; a shell's `-c`
 * script in it is parsed as shell.
 */
export function execCommand(argv: readonly string[], location: DockerfileLocation): ShellScript {
  const shared = sharedState(1);
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
