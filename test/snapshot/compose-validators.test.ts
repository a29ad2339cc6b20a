import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script without type declarations (its exports are `any` here).
import { generateComposeValidators, OUTPUT } from '../../scripts/gen-compose-validators.mjs';
import { jsonEqual } from '../../src/parsers/compose/equal.js';
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
    const { js, dts } = generateComposeValidators(composeFormats);
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

  it('compare null-prototype data deeply, as fast-deep-equal compares plain data', () => {
    const mapping = (entries: Record<string, unknown>): Record<string, unknown> => Object.assign(Object.create(null) as Record<string, unknown>, entries);
    expect(jsonEqual(mapping({ a: [1, mapping({ b: null })] }), mapping({ a: [1, mapping({ b: null })] }))).toBe(true);
    expect(jsonEqual(mapping({ a: 1 }), mapping({ a: 1, b: undefined }))).toBe(false);
    expect(jsonEqual(mapping({ a: 1 }), mapping({ b: 1 }))).toBe(false);
    expect(jsonEqual([1, 2], mapping({ 0: 1, 1: 2 }))).toBe(false);
    expect(jsonEqual(Number.NaN, Number.NaN)).toBe(true);
    expect(jsonEqual('1', 1)).toBe(false);
  });
});
