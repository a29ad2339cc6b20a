import { describe, expect, it } from 'vitest';
import { interpolate, parseDotEnv } from '../../src/parsers/compose/interpolate.js';
import { COMPOSE_LIMITS, parseComposeTree, textOf, toPlain, valueAt } from '../../src/parsers/compose/tree.js';

const lookup = (values: Record<string, string>) => (name: string): string | undefined => values[name];

describe('compose interpolation', () => {
  const env = lookup({ SET: 'value', EMPTY: '', PORT: '8080' });

  it.each([
    ['${SET}', 'value'],
    ['$SET/path', 'value/path'],
    ['${UNSET:-default}', 'default'],
    ['${EMPTY:-default}', 'default'],
    ['${EMPTY-default}', ''],
    ['${UNSET-default}', 'default'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET:-${PORT:-1}}', '8080'],
    ['$$SET and $${SET}', '$SET and ${SET}'],
    ['cost: $5 or $ 5', 'cost: $5 or $ 5'],
    ['127.0.0.1:${PORT}:80', '127.0.0.1:8080:80'],
  ])('%s -> %s', (text, expected) => {
    expect(interpolate(text, env).value).toBe(expected);
  });

  it('reports required, unset and malformed references', () => {
    expect(interpolate('${UNSET:?tell me}', env).issues).toEqual([{ kind: 'required', variable: 'UNSET', detail: 'tell me', empty: false }]);
    expect(interpolate('${EMPTY:?not empty}', env).issues).toEqual([{ kind: 'required', variable: 'EMPTY', detail: 'not empty', empty: true }]);
    expect(interpolate('${EMPTY?only unset}', env).issues).toEqual([]);
    expect(interpolate('$UNSET ${ALSO}', env).issues.map((issue) => [issue.kind, issue.variable])).toEqual([
      ['unset', 'UNSET'],
      ['unset', 'ALSO'],
    ]);
    expect(interpolate('${1X}', env).issues[0]?.kind).toBe('syntax');
    expect(interpolate('${SET', env).issues[0]).toMatchObject({ kind: 'syntax', detail: '"${SET" has no closing brace' });
    expect(interpolate('${SET:x}', env).issues[0]?.kind).toBe('syntax');
  });

  it('reads .env files as Compose does', () => {
    const variables = parseDotEnv(
      [
        '# comment',
        'export A=1',
        'B = two words # trailing comment',
        "C='literal ${A} $$'",
        'D="line\\nbreak ${A} \\$HOME"',
        'E=${A}-${B}',
        'F="multi',
        'line"',
        'G=#not a comment',
        'not a line',
        '',
      ].join('\n'),
    );
    expect(Object.fromEntries(variables)).toEqual({
      A: '1',
      B: 'two words',
      C: 'literal ${A} $$',
      D: 'line\nbreak 1 $HOME',
      E: '1-two words',
      F: 'multi\nline',
      G: '#not a comment',
    });
  });
});

describe('compose tree', () => {
  it('gives every key and value its position, resolves anchors and merge keys, and interpolates', () => {
    const text = [
      'x-base: &base',
      '  restart: always',
      '  labels: &labels {team: core}',
      'services:',
      '  web:',
      '    <<: *base',
      '    image: "nginx:${TAG}"',
      '    restart: "no"',
      '    environment:',
      '      - A=1',
      '    labels: *labels',
      '',
    ].join('\n');
    const tree = parseComposeTree('compose.yaml', text, lookup({ TAG: '1.27.0' }));
    expect(tree.problems).toEqual([]);
    const web = valueAt(tree.root, 'services', 'web');
    expect(web?.kind).toBe('map');
    if (web?.kind !== 'map') return;
    expect([...web.entries.keys()]).toEqual(['image', 'restart', 'environment', 'labels']);
    expect(web.entries.get('image')?.keyPos).toEqual({ file: 'compose.yaml', line: 7, column: 5 });
    expect(web.entries.get('image')?.value).toMatchObject({ value: 'nginx:1.27.0', interpolated: true, pos: { line: 7, column: 12 } });
    expect(textOf(web.entries.get('restart')?.value)).toBe('no');
    expect(web.entries.get('labels')?.keyPos.line).toBe(11);
    expect(web.entries.get('labels')?.value.pos.line).toBe(3);
    expect(toPlain(web)).toEqual({ image: 'nginx:1.27.0', restart: 'no', environment: ['A=1'], labels: { team: 'core' } });
  });

  it('treats $$ escapes as written values, not as interpolated ones', () => {
    const tree = parseComposeTree('compose.yaml', 'services:\n  web:\n    environment: {TOKEN: "$$abc", OTHER: "${X:-y}"}\n', () => undefined);
    expect(valueAt(tree.root, 'services', 'web', 'environment', 'TOKEN')).toMatchObject({ value: '$abc' });
    expect(valueAt(tree.root, 'services', 'web', 'environment', 'TOKEN')).not.toHaveProperty('interpolated');
    expect(valueAt(tree.root, 'services', 'web', 'environment', 'OTHER')).toMatchObject({ value: 'y', interpolated: true, written: '${X:-y}' });
  });

  it('keeps !reset and !override tags for merging and does not report them as unknown tags', () => {
    const tree = parseComposeTree('compose.yaml', 'services:\n  web:\n    ports: !reset []\n    environment: !override {A: 1}\n', () => undefined);
    expect(tree.problems).toEqual([]);
    expect(valueAt(tree.root, 'services', 'web', 'ports')?.tag).toBe('!reset');
    expect(valueAt(tree.root, 'services', 'web', 'environment')?.tag).toBe('!override');
  });

  it('reports YAML errors with their position and audits nothing of the file', () => {
    const tree = parseComposeTree('compose.yaml', 'services:\n  web:\n    image: "unterminated\n', () => undefined);
    expect(tree.root).toBeUndefined();
    // The parser reports the missing closing quote where the input ends.
    expect(tree.problems[0]).toMatchObject({ code: 'yamlError', location: { file: 'compose.yaml', line: 4, column: 1 } });
    expect(String(tree.problems[0]?.data['reason'])).not.toMatch(/at line/);
  });

  it('refuses what Compose cannot read, each at the place it is written', () => {
    const problem = (text: string) => {
      const tree = parseComposeTree('compose.yaml', text, () => undefined);
      expect(tree.root).toBeUndefined();
      expect(tree.problems).toHaveLength(1);
      const [found] = tree.problems;
      return [found?.location.line, found?.location.column, found?.data['reason']];
    };
    expect(problem('services: {}\n---\nvolumes: {}\n')).toEqual([3, 1, 'the file holds more than one YAML document']);
    expect(problem('services:\n  web:\n    image: !custom nginx\n')).toEqual([3, 12, 'unresolved tag: !custom']);
    expect(problem('services:\n  web: !!map [a]\n')).toEqual([2, 8, 'the tag !!map does not fit a list']);
    expect(problem('services:\n  web:\n    cpus: !!int two\n')).toEqual([3, 17, '"two" is not a valid !!int']);
    expect(problem('services:\n  web: *base\n')).toEqual([2, 8, 'the alias *base refers to no anchor before it']);
    expect(problem('x: &loop [a, *loop]\n')).toEqual([1, 14, 'the alias *loop is inside the node it names']);
    expect(problem('services:\n  web: {}\n  web: {}\n')).toEqual([3, 3, 'map keys must be unique: "web" is written twice']);
  });

  it('types scalars as YAML 1.2 does, explicit tags included', () => {
    const tree = parseComposeTree('compose.yaml', 'a: 012\nb: 0x1F\nc: yes\nd: ~\ne: !!str 8080\nf: !!float 1\n1: numeric key\n', () => undefined);
    expect(tree.problems).toEqual([]);
    expect(toPlain(tree.root as NonNullable<typeof tree.root>)).toEqual({ a: 12, b: 31, c: 'yes', d: null, e: '8080', f: 1, 1: 'numeric key' });
  });

  it('bounds expansion, depth and size', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((name, index) => `${name}: &${name} [${Array(10).fill(`*${'abcdef'[index]}`).join(', ')}]`)].join('\n');
    expect(parseComposeTree('a.yaml', bomb, () => undefined).problems.map((problem) => problem.code)).toEqual(['aliasBomb']);
    expect(parseComposeTree('b.yaml', `a: ${'['.repeat(70)}${']'.repeat(70)}`, () => undefined).problems.map((problem) => problem.code)).toEqual(['tooDeep']);
    expect(parseComposeTree('c.yaml', 'a: 1\n#'.padEnd(COMPOSE_LIMITS.maxBytes + 1, '#'), () => undefined).problems.map((problem) => problem.code)).toEqual(['tooLarge']);
    const shared = ['x: &x {a: 1, b: 2}', 'services:', ...Array.from({ length: 300 }, (_, index) => `  s${index}: {<<: *x, image: "i:1"}`)].join('\n');
    expect(parseComposeTree('d.yaml', shared, () => undefined).problems).toEqual([]);
  });
});
