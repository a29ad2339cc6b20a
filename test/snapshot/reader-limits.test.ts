import { describe, expect, it } from 'vitest';
import { interpolate, MAX_INTERPOLATION_DEPTH } from '../../src/parsers/compose/interpolate.js';
import { MAX_SUBSTITUTED_CHARS } from '../../src/parsers/dockerfile/build.js';
import { parseDockerfile } from '../../src/parsers/dockerfile/parse.js';
import { MAX_SHELL_DEPTH } from '../../src/parsers/dockerfile/shell-lexer.js';

describe('reader limits on hostile input', () => {
  it('reports shell nesting past the limit as a problem instead of exhausting the stack', () => {
    for (const script of [`${'echo $('.repeat(5000)}x${')'.repeat(5000)}`, `${'(a|'.repeat(5000)}a${')'.repeat(5000)}`, 'function f '.repeat(5000), `${'if a; then '.repeat(5000)}b${'; fi'.repeat(5000)}`]) {
      const model = parseDockerfile('Dockerfile', `FROM debian:12\nRUN ${script}\nUSER app\n`);
      expect(model.problems).toContainEqual(expect.objectContaining({ kind: 'shell-syntax', message: `commands nested more than ${MAX_SHELL_DEPTH} levels deep are not analysed`, location: expect.objectContaining({ line: 2 }) }));
      expect(model.instructions.map((instruction) => instruction.keyword)).toEqual(['FROM', 'RUN', 'USER']);
    }
  });

  it('still parses nesting within the limit', () => {
    const model = parseDockerfile('Dockerfile', `FROM debian:12\nRUN ${'echo $('.repeat(20)}curl x${')'.repeat(20)}\n`);
    expect(model.problems).toEqual([]);
    expect(model.instructions[1]?.script?.commands.map((command) => command.program)).toEqual([...Array(20).fill('echo'), 'curl']);
  });

  it('stops variable substitution at its budget and reports it once', () => {
    const model = parseDockerfile('Dockerfile', `FROM debian:12\n${'ENV A=$A$A\n'.repeat(40)}USER $A\n`);
    const tooLarge = model.problems.filter((problem) => problem.kind === 'too-large');
    expect(tooLarge).toHaveLength(1);
    expect(tooLarge[0]?.message).toBe(`variable substitution would produce more than ${MAX_SUBSTITUTED_CHARS} characters; later references are left as written`);
    expect(model.instructions.at(-1)?.words[0]?.length).toBeLessThanOrEqual(MAX_SUBSTITUTED_CHARS);
  });

  it('refuses Compose defaults nested past the limit with a syntax issue', () => {
    const deep = interpolate(`${'${A:-'.repeat(1000)}x${'}'.repeat(1000)}`, () => undefined);
    expect(deep.issues).toContainEqual(expect.objectContaining({ kind: 'syntax', detail: `variable references nested more than ${MAX_INTERPOLATION_DEPTH} levels deep` }));
    expect(interpolate(`${'${A:-'.repeat(10)}x${'}'.repeat(10)}`, () => undefined)).toMatchObject({ value: 'x', issues: [] });
  });
});
