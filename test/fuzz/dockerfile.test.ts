/**
 * The Dockerfile reader on arbitrary text: the splitter, the shell parser and the model never
 * throw, and answer in time proportional to the input.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../src/parsers/dockerfile/parse.js';
import { parseShell } from '../../src/parsers/dockerfile/shell.js';
import { dockerfileFromHistory } from '../../src/parsers/dockerfile/history.js';
import { fuzzParameters, piecesOf, Tally, timeAllowance } from './support.js';

const DOCKERFILE_PIECES = [
  'FROM debian:12\n', 'FROM a AS b\n', 'FROM b\n', 'RUN ', 'COPY --from=b ', 'ADD ', 'ENV ', 'ARG ', 'ONBUILD ', 'HEALTHCHECK CMD ', 'SHELL ["sh","-c"]\n',
  '# escape=`\n', '# syntax=x\n', '\\\n', '`\n', '\n', ' ', '\t', '\r\n', '#', 'A=$A$A ', '${A:-', '}', '$', '"', "'", '[', '"a",', ']',
  '<<E\n', '<<-E\n', 'E\n', '<<"E" ', '--mount=type=cache,target=/x ', '--from=0 ', 'USER root\n', '\u0000',
];
const SHELL_PIECES = [
  'curl x', 'wget y', '|', '|&', '||', '&&', ';', '&', ';;', '(', ')', '((', '))', '{ ', ' }', '$(', '`', '\\`', '<(', '>(', '"', "'", "$'", '\\',
  'if ', 'then ', 'elif ', 'else ', 'fi', 'for a in b; do ', 'while ', 'do ', 'done', 'case x in ', 'a) ', 'esac', 'function f ', 'f() ', '[[ ', ' ]]',
  'sh -c ', 'bash <<E\n', 'E\n', 'cat <<-X\n', '\tX\n', '<<<', '>', '2>&1', '>>', 'sudo ', 'env A=1 ', 'export B=2 ', 'echo ', 'tee f ', 'chpasswd', '\n', ' ', '${a:-', '}', '#',
];

const files = new Tally('Dockerfile');
const scripts = new Tally('shell script');
const histories = new Tally('history entry');
afterAll(() => {
  files.report();
  scripts.report();
  histories.report();
});

function timed<T>(run: () => T): { value: T; milliseconds: number } {
  const start = performance.now();
  const value = run();
  return { value, milliseconds: performance.now() - start };
}

describe('Dockerfile reader on arbitrary input', () => {
  it('parses any text without throwing, in time proportional to its size', () => {
    const text = fc.oneof(piecesOf([...DOCKERFILE_PIECES, ...SHELL_PIECES], 120), fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 200 }));
    fc.assert(
      fc.property(text, (content) => {
        files.add(Buffer.byteLength(content));
        const { value: model, milliseconds } = timed(() => parseDockerfile('Dockerfile', content));
        expect(milliseconds).toBeLessThan(timeAllowance(content.length));
        expect(Array.isArray(model.instructions)).toBe(true);
        for (const instruction of model.instructions) {
          for (const command of instruction.script?.commands ?? []) expect(command.id).toBeTypeOf('number');
        }
      }),
      fuzzParameters(400),
    );
  });

  it('parses any shell script without throwing, each command in its place', () => {
    fc.assert(
      fc.property(piecesOf(SHELL_PIECES, 150), (text) => {
        scripts.add(Buffer.byteLength(text));
        const { value: script, milliseconds } = timed(() => parseShell(text, () => ({ file: 'Dockerfile', line: 1, column: 1 })));
        expect(milliseconds).toBeLessThan(timeAllowance(text.length));
        // Every command id is its index, and a parent is a command of the script.
        script.commands.forEach((command, index) => {
          expect(command.id).toBe(index);
          if (command.parent) expect(script.commands[command.parent.id]).toBeDefined();
        });
      }),
      fuzzParameters(400),
    );
  });

  it('reads any image history without throwing', () => {
    const entry = fc.record({ CreatedBy: fc.oneof(piecesOf(['RUN |2 A=1 B=2 /bin/sh -c ', '/bin/sh -c #(nop) ', 'ENV ', 'USER ', ...SHELL_PIECES], 60), fc.string({ maxLength: 200 })) });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 12 }), (history) => {
        histories.add(history.reduce((sum, item) => sum + Buffer.byteLength(item.CreatedBy), 0));
        const { milliseconds } = timed(() => dockerfileFromHistory('image:1', history));
        expect(milliseconds).toBeLessThan(timeAllowance(history.reduce((sum, item) => sum + item.CreatedBy.length, 0)));
      }),
      fuzzParameters(200),
    );
  });
});
