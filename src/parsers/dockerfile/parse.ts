/**
 * Reads a Dockerfile's text into the model: split.ts finds the instructions and their spans;
 * arguments, flags, scripts and stages are read from those spans here and in build.ts.
 */
import { FILE_SIZE_LIMITS } from '../../snapshot/files.js';
import { ModelBuilder, type InstructionInput } from './build.js';
import { splitDockerfile, triggerOf, type InstructionSpan } from './split.js';
import { lineStarts, locator, logicalText, offsetIn, splitFlags } from './text.js';
import type { DockerfileModel } from './types.js';

/** Larger Dockerfiles are refused: files read from disk are capped lower first, by --max-file-bytes. */
export const MAX_DOCKERFILE_BYTES = FILE_SIZE_LIMITS.ceilingBytes;

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
  const text = content.includes('\r') ? content.replace(/\r\n?/g, '\n') : content;
  const { escapeChar, instructions } = splitDockerfile(text);
  const starts = lineStarts(text);
  const at = locator(path, starts);

  const inputOf = (span: InstructionSpan): InstructionInput => {
    const keyword = span.keyword.toUpperCase();
    const firstLineEnd = text.indexOf('\n', span.keywordEnd);
    const heredoc = HEREDOC_KEYWORDS.has(keyword) && HEREDOC_MARKER.test(text.slice(span.keywordEnd, firstLineEnd < 0 ? span.end : firstLineEnd));
    const logical = logicalText(text, span.keywordEnd, span.end, escapeChar, heredoc);
    const { flags, rest } = splitFlags(logical, FLAGGED_KEYWORDS.has(keyword));
    const input: InstructionInput = {
      keyword,
      location: at(span.start),
      endLine: span.endLine + 1,
      flags,
      text: rest.text,
      locate: (index) => at(offsetIn(rest, Math.min(index, Math.max(0, rest.text.length - 1)))),
    };
    if (keyword === 'ONBUILD') {
      const trigger = triggerOf(text, span, escapeChar);
      if (trigger) input.trigger = inputOf(trigger);
    }
    return input;
  };

  const builder = new ModelBuilder(path, 'file', escapeChar);
  for (const span of instructions) {
    const input = inputOf(span);
    builder.add(input);
    // RUN heredocs are checked by the shell parser; COPY ones only here.
    if (input.keyword === 'COPY') {
      for (const name of span.unclosedHeredocs) builder.problem('heredoc', `heredoc <<${name} is never closed`, input.location);
    }
  }
  return builder.finish();
}
