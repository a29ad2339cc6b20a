import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script without type declarations (its exports are `any` here).
import { generateComposeValidators, OUTPUT } from '../../scripts/gen-compose-validators.mjs';
import { canonicalKey, lastRepeat } from '../../src/parsers/compose/equal.js';
import { composeFormats } from '../../src/parsers/compose/formats.js';
import { validateCompose } from '../../src/parsers/compose/schema.js';
import { parseComposeTree } from '../../src/parsers/compose/tree.js';

const root = join(import.meta.dirname, '../..');

function violations(text: string): [number, string][] {
  const tree = parseComposeTree('compose.yaml', text, () => undefined);
  if (!tree.root) throw new Error('no document');
  return validateCompose(tree.root).map((violation) => [violation.location.line, violation.message]);
}

describe('precompiled Compose validators', () => {
  it('validators.generated.js and its .d.ts match the generator (run `npm run gen:compose` after changing it)', () => {
    const { js, dts } = generateComposeValidators(composeFormats, lastRepeat);
    expect(readFileSync(join(root, OUTPUT), 'utf8')).toBe(js);
    expect(readFileSync(join(root, OUTPUT.replace(/\.js$/, '.d.ts')), 'utf8')).toBe(dts);
  });

  it('call the custom formats', () => {
    const file = [
      'services:',
      '  web:',
      '    image: nginx',
      '    expose: ["80/tcp", "80/foo"]',
      '    ports: ["127.0.0.1:8080:80", "host:8080:80"]',
      '    stop_grace_period: 1m30s',
      '    healthcheck:',
      '      interval: soon',
      'networks:',
      '  back:',
      '    ipam:',
      '      config:',
      '        - subnet: 10.0.0.0/24',
      '        - subnet: 10.0.0.0/33',
      '',
    ].join('\n');
    expect(violations(file)).toEqual([
      [4, 'services.web.expose[1] is not a port such as 80 or 53/udp: the string "80/foo"'],
      [5, 'services.web.ports[1] is not a port mapping such as 8080:80, 127.0.0.1:8080:80 or 53/udp: the string "host:8080:80"'],
      [8, 'services.web.healthcheck.interval is not a duration such as 30s or 1m30s: the string "soon"'],
      [14, 'networks.back.ipam.config[1].subnet is not a subnet in CIDR notation such as 10.0.0.0/24: the string "10.0.0.0/33"'],
    ]);
  });

  it("compare list items with Ajv's deep equality", () => {
    const file = [
      'services:',
      '  web:',
      '    image: nginx',
      '    ports:',
      '      - { target: 80, published: 8080 }',
      '      - { target: 80, published: 8080 }',
      '      - { target: 80, published: 8081 }',
      '',
    ].join('\n');
    expect(violations(file)).toEqual([[5, 'services.web.ports lists the same entry twice (items 0 and 1)']]);
  });

  it('report the pair of repeated entries Ajv reports: the last repeat and its nearest earlier twin', () => {
    const file = [
      'services:',
      '  web:',
      '    image: nginx',
      '    volumes:',
      '      - {type: volume, source: a, target: /a}',
      '      - ./b:/b',
      '      - {target: /a, source: a, type: volume}',
      '      - ./b:/b',
      '      - {type: volume, target: /a, source: a}',
      '      - ./c:/c',
      '    devices: ["/dev/fuse", "/dev/fuse"]',
      '',
    ].join('\n');
    expect(violations(file)).toEqual([
      [5, 'services.web.volumes lists the same entry twice (items 2 and 4)'],
      [11, 'services.web.devices lists the same entry twice (items 0 and 1)'],
    ]);
  });

  it('key null-prototype data as JSON equality compares it', () => {
    const mapping = (entries: Record<string, unknown>): Record<string, unknown> => Object.assign(Object.create(null) as Record<string, unknown>, entries);
    const same = (a: unknown, b: unknown): boolean => canonicalKey(a) === canonicalKey(b);
    expect(same(mapping({ a: [1, mapping({ b: null })], c: 'x' }), mapping({ c: 'x', a: [1, mapping({ b: null })] }))).toBe(true);
    expect(same(mapping({ a: 1 }), mapping({ a: 1, b: undefined }))).toBe(false);
    expect(same(mapping({ a: 1 }), mapping({ b: 1 }))).toBe(false);
    expect(same([1, 2], mapping({ 0: 1, 1: 2 }))).toBe(false);
    expect(same([[1], 2], [[1, 2]])).toBe(false);
    expect(same(mapping({ 'a":1,"b': 1 }), mapping({ a: 1, b: 1 }))).toBe(false);
    expect(same(Number.NaN, Number.NaN)).toBe(true);
    expect(same(Number.NaN, null)).toBe(false);
    expect(same(0, -0)).toBe(true);
    expect(same('1', 1)).toBe(false);
    expect(same('true', true)).toBe(false);
    expect(lastRepeat(['a', 'b', 'c'])).toBeUndefined();
    expect(lastRepeat(['a', 'b', 'a', 'b', 'b'])).toEqual({ i: 4, j: 3 });
  });
});
