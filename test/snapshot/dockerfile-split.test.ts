import { describe, expect, it } from 'vitest';
import { splitDockerfile, triggerOf } from '../../src/parsers/dockerfile/split.js';

const spans = (text: string) =>
  splitDockerfile(text).instructions.map((span) => [span.keyword, text.slice(span.start, span.end), span.endLine, span.unclosedHeredocs]);

describe('splitDockerfile', () => {
  it('skips comments and blank lines and joins continuations, dropping comment lines inside them', () => {
    const text = '# a comment\n\nFROM alpine:3.20\nRUN apk add \\\n# not part of it\n\n    curl\nUSER app\n';
    expect(spans(text)).toEqual([
      ['FROM', 'FROM alpine:3.20', 2, []],
      ['RUN', 'RUN apk add \\\n# not part of it\n\n    curl', 6, []],
      ['USER', 'USER app', 7, []],
    ]);
  });

  it('honours the escape directive only at the top of the file', () => {
    expect(splitDockerfile('# escape=`\nFROM x\nRUN a `\n  b\n').escapeChar).toBe('`');
    expect(spans('# escape=`\nFROM x\nRUN a `\n  b\n').map((span) => span[0])).toEqual(['FROM', 'RUN']);
    expect(splitDockerfile('FROM x\n# escape=`\n').escapeChar).toBe('\\');
  });

  it('keeps heredoc bodies with their instruction and reports a body that never closes', () => {
    const text = 'FROM x\nRUN <<EOF\necho RUN inside\nEOF\nCOPY <<-"CONF" /etc/app.conf\n\tkey=1\n\tCONF\nCOPY <<NEVER /x\nbody\n';
    expect(spans(text)).toEqual([
      ['FROM', 'FROM x', 0, []],
      ['RUN', 'RUN <<EOF\necho RUN inside\nEOF', 3, []],
      ['COPY', 'COPY <<-"CONF" /etc/app.conf\n\tkey=1\n\tCONF', 6, []],
      ['COPY', 'COPY <<NEVER /x\nbody', 8, ['NEVER']],
    ]);
  });

  it('finds the instruction an ONBUILD carries', () => {
    const text = 'FROM x\nONBUILD RUN make \\\n  install\n';
    const onbuild = splitDockerfile(text).instructions[1];
    expect(onbuild?.keyword).toBe('ONBUILD');
    const trigger = onbuild && triggerOf(text, onbuild, '\\');
    expect(trigger && [trigger.keyword, text.slice(trigger.start, trigger.end)]).toEqual(['RUN', 'RUN make \\\n  install']);
    const empty = splitDockerfile('ONBUILD\n').instructions[0];
    expect(empty && triggerOf('ONBUILD\n', empty, '\\')).toBeUndefined();
  });
});
