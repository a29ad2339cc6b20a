import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareApkVersions, isValidApkVersion } from '../../../src/parsers/versions/apk.js';

/** Pairs and their order as apk-tools' own test data (test/version.data) states them. */
const VECTORS = readFileSync(new URL('../../fixtures/versions/apk-version.data', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => {
    const [a, operator, b] = line.split(/\s+/);
    return { a: a as string, b: b as string, expected: operator === '<' ? -1 : operator === '>' ? 1 : 0 };
  });

const number = fc.constantFrom('0', '1', '2', '9', '10', '01', '001', '20240101');
/** Valid Alpine versions: numbers, an optional letter, suffixes, a revision. */
const version = fc
  .tuple(
    fc.array(number, { minLength: 1, maxLength: 4 }),
    fc.option(fc.constantFrom('a', 'b', 'z'), { nil: undefined }),
    fc.array(fc.tuple(fc.constantFrom('alpha', 'beta', 'pre', 'rc', 'cvs', 'svn', 'git', 'hg', 'p'), fc.option(fc.constantFrom('1', '2', '10'), { nil: undefined })), { maxLength: 2 }),
    fc.option(fc.constantFrom('0', '1', '2', '10'), { nil: undefined }),
  )
  .map(([numbers, letter, suffixes, revision]) => {
    const [first, ...rest] = numbers;
    const head = [first === '0' || (first as string).startsWith('0') ? '1' : first, ...rest].join('.');
    return `${head}${letter ?? ''}${suffixes.map(([name, n]) => `_${name}${n ?? ''}`).join('')}${revision !== undefined ? `-r${revision}` : ''}`;
  });

describe('apk version order', () => {
  it.each(VECTORS)('$a against $b is $expected', ({ a, b, expected }) => {
    expect(compareApkVersions(a, b)).toBe(expected);
    expect(compareApkVersions(b, a)).toBe(-expected || 0);
  });

  it('orders pre-release suffixes before the release and post-release ones after it', () => {
    const ordered = ['1.1_alpha', '1.1_beta', '1.1_pre', '1.1_rc1', '1.1', '1.1-r1', '1.1_cvs', '1.1_svn', '1.1_git', '1.1_hg', '1.1_p1', '1.1a', '1.1.1'];
    for (let index = 1; index < ordered.length; index += 1) expect([ordered[index - 1], compareApkVersions(ordered[index - 1] as string, ordered[index] as string)]).toEqual([ordered[index - 1], -1]);
  });

  it('reads a component with leading zeros as apk does: a fraction, after which anything sorts later', () => {
    expect(compareApkVersions('1.01', '1.1')).toBe(-1);
    expect(compareApkVersions('1.001', '1.01')).toBe(-1);
    // apk's own quirk: after `.0` the version that goes on is newer, even with a pre-release suffix.
    expect(compareApkVersions('1.0_rc1', '1.0')).toBe(1);
  });

  it('compares long digit runs as numbers', () => {
    expect(compareApkVersions('1.99999999999999999999', '1.100000000000000000000')).toBe(-1);
    expect(compareApkVersions('1.0-r99999999999999999999', '1.0-r100000000000000000000')).toBe(-1);
  });

  it('tells valid versions from invalid ones', () => {
    for (const valid of ['1', '1.2.3', '1.0a', '1.0_rc1', '1.0_alpha_pre2', '2.4.55-r0', '1.0~abc123-r1']) expect([valid, isValidApkVersion(valid)]).toEqual([valid, true]);
    for (const invalid of ['', 'a1', '1.0bc', '1.0_foo', '1.0-1', '1.0-r1.2', '1.0_rc1.2']) expect([invalid, isValidApkVersion(invalid)]).toEqual([invalid, false]);
  });

  it('is an order on valid versions: antisymmetric, reflexive and transitive', () => {
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        expect(isValidApkVersion(a)).toBe(true);
        expect(compareApkVersions(a, a)).toBe(0);
        expect(compareApkVersions(a, b)).toBe(-compareApkVersions(b, a) || 0);
        if (compareApkVersions(a, b) <= 0 && compareApkVersions(b, c) <= 0) expect(compareApkVersions(a, c)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => [-1, 0, 1].includes(compareApkVersions(a, b))));
  });

  it('takes time linear in the length of the versions', () => {
    const long = (n: number): [string, string] => [`1${'.1'.repeat(n)}_p1`, `1${'.1'.repeat(n)}_p2`];
    const time = (n: number): number => {
      const [a, b] = long(n);
      let best = Number.POSITIVE_INFINITY;
      for (let run = 0; run < 5; run += 1) {
        const start = process.cpuUsage();
        for (let repeat = 0; repeat < 10; repeat += 1) compareApkVersions(a, b);
        const used = process.cpuUsage(start);
        best = Math.min(best, used.user + used.system);
      }
      return best;
    };
    time(20_000);
    expect(compareApkVersions(...long(20_000))).toBe(-1);
    expect(time(80_000)).toBeLessThan(8 * time(20_000) + 2000);
  });
});
