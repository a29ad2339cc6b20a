/**
 * Reads a Dockerfile's text with dockerfile-ast into the model: dockerfile-ast finds the
 * instructions, their flags and ranges; arguments, scripts and stages are ours.
 */
import { Copy, DockerfileParser, type Instruction } from 'dockerfile-ast';
import { ModelBuilder, type InstructionInput } from './build.js';
import { lineStarts, locator, logicalText, offsetIn, splitFlags } from './text.js';
import type { DockerfileModel } from './types.js';

/** Larger Dockerfiles are refused: no real one comes close, and parsing cost grows with size. */
export const MAX_DOCKERFILE_BYTES = 1024 * 1024;

/** A model with nothing in it, for content that was not analysed. */
export function skippedModel(path: string, reason: string): DockerfileModel {
  return { path, origin: 'file', skipped: reason, escapeChar: '\\', instructions: [], stages: [], finalStage: -1, shipped: [], problems: [] };
}

const HEREDOC_MARKER = /<<-?\s*["']?[A-Za-z_][\w.-]*["']?/;
const HEREDOC_KEYWORDS: ReadonlySet<string> = new Set(['RUN', 'COPY', 'ADD']);
const FLAGGED_KEYWORDS: ReadonlySet<string> = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'HEALTHCHECK']);

/** Parses a Dockerfile. Never throws: problems are reported in the model. */
export function parseDockerfile(path: string, content: string): DockerfileModel {
  if (content.length > MAX_DOCKERFILE_BYTES) return skippedModel(path, `larger than ${MAX_DOCKERFILE_BYTES} bytes`);
  if (content.includes('\u0000')) return skippedModel(path, 'binary content (NUL byte)');
  const text = content.replace(/\r\n?/g, '\n');
  const document = DockerfileParser.parse(text);
  const escapeChar = document.getEscapeCharacter();
  const starts = lineStarts(text);
  const at = locator(path, starts);
  const offsetOf = (position: { line: number; character: number }): number => (starts[position.line] ?? text.length) + position.character;

  const inputOf = (instruction: Instruction): InstructionInput => {
    const keyword = instruction.getKeyword().toUpperCase();
    const range = instruction.getRange();
    const start = offsetOf(range.start);
    const end = Math.min(offsetOf(range.end), text.length);
    // Arguments and flags are read here rather than with getArguments()/getFlags(), which
    // re-tokenise the instruction on every call and dominated parsing time.
    const keywordEnd = Math.min(offsetOf(instruction.getInstructionRange().end), end);
    const firstLineEnd = text.indexOf('\n', keywordEnd);
    const heredoc = HEREDOC_KEYWORDS.has(keyword) && HEREDOC_MARKER.test(text.slice(keywordEnd, firstLineEnd < 0 ? end : firstLineEnd));
    const logical = logicalText(text, keywordEnd, end, escapeChar, heredoc);
    const { flags, rest } = splitFlags(logical, FLAGGED_KEYWORDS.has(keyword));
    const input: InstructionInput = {
      keyword,
      location: at(start),
      endLine: range.end.line + 1,
      flags,
      text: rest.text,
      locate: (index) => at(offsetIn(rest, Math.min(index, Math.max(0, rest.text.length - 1)))),
    };
    if (keyword === 'ONBUILD' && 'getTriggerInstruction' in instruction && typeof instruction.getTriggerInstruction === 'function') {
      const trigger = instruction.getTriggerInstruction() as Instruction | null;
      if (trigger) input.trigger = inputOf(trigger);
    }
    return input;
  };

  const builder = new ModelBuilder(path, 'file', escapeChar);
  for (const instruction of document.getInstructions()) {
    const input = inputOf(instruction);
    builder.add(input);
    // RUN heredocs are checked by the shell parser; COPY ones only here.
    if (instruction instanceof Copy && HEREDOC_MARKER.test(input.text)) {
      for (const heredoc of instruction.getHeredocs()) {
        if (heredoc.getDelimiterRange() === null) builder.problem('heredoc', `heredoc <<${heredoc.getName()} is never closed`, input.location);
      }
    }
  }
  return builder.finish();
}
