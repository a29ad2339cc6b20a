import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/audit/config-yaml.js';

describe('config file reader', () => {
  it('reads YAML and JSON, and an empty file as no settings', () => {
    expect(parseConfigText('failOn: high\nignore:\n  - rule: DA504\n')).toEqual({ failOn: 'high', ignore: [{ rule: 'DA504' }] });
    expect(parseConfigText('{"failOn": "low"}')).toEqual({ failOn: 'low' });
    expect(parseConfigText('')).toBeUndefined();
    expect(parseConfigText('# only a comment\n')).toBeUndefined();
  });

  it('gives a one-line error with the line and column', () => {
    const error = (() => {
      try {
        parseConfigText('failOn: high\nignore: [\n');
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('no error');
    })();
    expect(error.message).toMatch(/ at line \d+, column \d+$/);
    expect(error.message).not.toContain('\n');
  });

  it('refuses several documents and alias bombs', () => {
    expect(() => parseConfigText('failOn: high\n---\nfailOn: low\n')).toThrow(/more than one YAML document/);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((name, index) => `${name}: &${name} [${Array(10).fill(`*${'abcdefgh'[index]}`).join(', ')}]`)].join('\n');
    expect(() => parseConfigText(bomb)).toThrow(/alias/i);
  });
});
