/**
 * Splits a Dockerfile into instructions the way the builder reads it: parser directives at
 * the top (`# escape=`), comment and blank lines skipped, continuation lines joined, heredoc
 * bodies (`RUN <<EOF … EOF`) kept with their instruction.
 *
 * Only boundaries are found here: where each instruction, its keyword and its last line are.
 * Arguments, flags and shell words are read from those spans by text.ts and the shell parser.
 * A general-purpose Dockerfile AST builds typed objects and re-tokenises every instruction
 * several times; for the few facts needed here that was most of the time spent on a file.
 */

/** One instruction's span in the text (offsets into the text, end exclusive). */
export interface InstructionSpan {
  /** The keyword as written. */
  keyword: string;
  start: number;
  keywordEnd: number;
  /** End of the instruction's last line, before its newline. */
  end: number;
  /** 0-based line of the last line. */
  endLine: number;
  /** Heredocs of the instruction whose closing delimiter never comes. */
  unclosedHeredocs: string[];
}

export interface SplitDockerfile {
  escapeChar: '\\' | '`';
  instructions: InstructionSpan[];
}

const DIRECTIVE = /^[ \t]*#[ \t]*([A-Za-z][A-Za-z0-9_-]*)[ \t]*=[ \t]*(\S*)[ \t]*$/;
const HEREDOC_KEYWORDS: ReadonlySet<string> = new Set(['RUN', 'COPY', 'ADD']);
/** `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'` as a word of the instruction's first logical line. */
const HEREDOC = /(?:^|[\s])<<(-?)(["']?)([A-Za-z_][\w.-]*)\2(?=\s|$)/g;

/** Reads a text line by line, tracking offsets and 0-based line numbers. */
class Lines {
  offset = 0;
  line = 0;
  /** End of the current line (before its newline). */
  end: number;

  constructor(private readonly text: string) {
    this.end = this.endFrom(0);
  }

  get done(): boolean {
    return this.offset >= this.text.length;
  }

  next(): void {
    this.offset = this.end + 1;
    this.line += 1;
    this.end = this.endFrom(this.offset);
  }

  private endFrom(offset: number): number {
    const newline = this.text.indexOf('\n', offset);
    return newline < 0 ? this.text.length : newline;
  }
}

/** A keyword at `lastIndex`: everything up to the next blank. */
const KEYWORD = /\S*/y;

function keywordEndFrom(text: string, start: number): number {
  KEYWORD.lastIndex = start;
  KEYWORD.test(text);
  return KEYWORD.lastIndex;
}

function firstNonBlank(text: string, start: number, end: number): number {
  let index = start;
  while (index < end && (text[index] === ' ' || text[index] === '\t' || text[index] === '\r')) index += 1;
  return index;
}

/** Whether the line ends (blanks aside) with the escape character, so the next one continues it. */
function continues(text: string, start: number, end: number, escapeChar: string): boolean {
  let last = end - 1;
  while (last >= start && (text[last] === ' ' || text[last] === '\t' || text[last] === '\r')) last -= 1;
  return last >= start && text[last] === escapeChar;
}

function escapeFromDirectives(text: string): '\\' | '`' {
  let escapeChar: '\\' | '`' = '\\';
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const match = DIRECTIVE.exec(text.slice(start, end));
    if (!match) break;
    if ((match[1] as string).toLowerCase() === 'escape' && (match[2] === '`' || match[2] === '\\')) escapeChar = match[2];
    start = end + 1;
  }
  return escapeChar;
}

/** Heredoc names opened on the instruction's first logical line, with whether `<<-` strips tabs. */
function heredocsOf(firstLogicalLine: string): { name: string; tabs: boolean }[] {
  const found: { name: string; tabs: boolean }[] = [];
  for (const match of firstLogicalLine.matchAll(HEREDOC)) found.push({ name: match[3] as string, tabs: match[1] === '-' });
  return found;
}

/** Splits the text (newlines already normalised to `\n`) into instruction spans. */
export function splitDockerfile(text: string): SplitDockerfile {
  const escapeChar = escapeFromDirectives(text);
  const instructions: InstructionSpan[] = [];
  const lines = new Lines(text);
  while (!lines.done) {
    const lineEnd = lines.end;
    const start = firstNonBlank(text, lines.offset, lineEnd);
    if (start >= lineEnd || text[start] === '#') {
      lines.next();
      continue;
    }
    // A keyword never runs past its line: a newline is a blank.
    const keywordEnd = keywordEndFrom(text, start);
    const keyword = text.slice(start, keywordEnd);
    let end = lineEnd;
    let endLine = lines.line;
    let firstLogicalLine = text.slice(keywordEnd, lineEnd);
    let continued = continues(text, lines.offset, lineEnd, escapeChar);
    lines.next();
    // Continuation lines; blank and comment lines inside a continuation are dropped.
    while (continued && !lines.done) {
      const nextEnd = lines.end;
      const first = firstNonBlank(text, lines.offset, nextEnd);
      if (first < nextEnd && text[first] !== '#') {
        firstLogicalLine += ` ${text.slice(lines.offset, nextEnd)}`;
        end = nextEnd;
        endLine = lines.line;
        continued = continues(text, lines.offset, nextEnd, escapeChar);
      }
      lines.next();
    }
    const unclosedHeredocs: string[] = [];
    const effectiveKeyword = keyword.toUpperCase() === 'ONBUILD' ? (/^\s*(\S+)/.exec(firstLogicalLine)?.[1] ?? '').toUpperCase() : keyword.toUpperCase();
    if (HEREDOC_KEYWORDS.has(effectiveKeyword) && firstLogicalLine.includes('<<')) {
      // Each body runs to a line holding only its delimiter (tabs first allowed with <<-).
      for (const heredoc of heredocsOf(firstLogicalLine)) {
        let closed = false;
        while (!lines.done) {
          const bodyEnd = lines.end;
          let line = text.slice(lines.offset, bodyEnd);
          if (heredoc.tabs) line = line.replace(/^\t+/, '');
          end = bodyEnd;
          endLine = lines.line;
          lines.next();
          if (line === heredoc.name) {
            closed = true;
            break;
          }
        }
        if (!closed) unclosedHeredocs.push(heredoc.name);
      }
    }
    instructions.push({ keyword, start, keywordEnd, end, endLine, unclosedHeredocs });
  }
  return { escapeChar, instructions };
}

/** The instruction an ONBUILD span carries: its keyword and where it starts, or undefined when empty. */
export function triggerOf(text: string, span: InstructionSpan, escapeChar: string): InstructionSpan | undefined {
  let index = span.keywordEnd;
  // Skip blanks and line continuations between ONBUILD and the trigger's keyword.
  for (;;) {
    while (index < span.end && (text[index] === ' ' || text[index] === '\t' || text[index] === '\r')) index += 1;
    if (text[index] === escapeChar && continues(text, index, text.indexOf('\n', index) < 0 ? span.end : text.indexOf('\n', index), escapeChar)) {
      index = text.indexOf('\n', index) + 1;
      if (index <= 0) return undefined;
      continue;
    }
    if (text[index] === '\n') {
      index += 1;
      continue;
    }
    break;
  }
  if (index >= span.end) return undefined;
  const keywordEnd = Math.min(keywordEndFrom(text, index), span.end);
  return { keyword: text.slice(index, keywordEnd), start: index, keywordEnd, end: span.end, endLine: span.endLine, unclosedHeredocs: span.unclosedHeredocs };
}
