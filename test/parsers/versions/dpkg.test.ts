import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareDpkgVersions, parseDpkgVersion } from '../../../src/parsers/versions/dpkg.js';

/** Pairs and their order as dpkg's own test suite states them, and a few of Debian's security uploads. */
const VECTORS = readFileSync(new URL('../../fixtures/versions/dpkg-version.data', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => {
    const [a, b, expected] = line.split(' ');
    return { a: a as string, b: b as string, expected: Number(expected) };
  });

/** Versions built from the characters deb-version(7) allows, weighted towards what changes the order. */
const part = fc.array(fc.constantFrom('0', '1', '2', '9', '10', '01', 'a', 'b', 'Z', '~', '+', '.', '~~', 'rc', 'b1', '+b1', '+deb12u1'), { minLength: 1, maxLength: 6 }).map((pieces) => pieces.join(''));
const version = fc
  .tuple(fc.option(fc.constantFrom('0', '1', '2', '10'), { nil: undefined }), fc.integer({ min: 0, max: 9 }), part, fc.option(part, { nil: undefined }))
  .map(([epoch, first, upstream, revision]) => `${epoch !== undefined ? `${epoch}:` : ''}${first}${upstream}${revision !== undefined ? `-${revision}` : ''}`);

describe('dpkg version order', () => {
  it.each(VECTORS)('$a against $b is $expected', ({ a, b, expected }) => {
    expect(compareDpkgVersions(a, b)).toBe(expected);
    expect(compareDpkgVersions(b, a)).toBe(-expected || 0);
  });

  it('splits the epoch at the first colon and the revision at the last hyphen', () => {
    expect(parseDpkgVersion('1:2.3-4-5')).toEqual({ epoch: '1', upstream: '2.3-4', revision: '5' });
    expect(parseDpkgVersion('2.3')).toEqual({ epoch: '0', upstream: '2.3', revision: '' });
    expect(parseDpkgVersion('0:0:0-0')).toEqual({ epoch: '0', upstream: '0:0', revision: '0' });
    expect(parseDpkgVersion('  \t0:0-1  ')).toEqual({ epoch: '0', upstream: '0', revision: '1' });
  });

  it('is an order: antisymmetric, reflexive and transitive', () => {
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        expect(compareDpkgVersions(a, a)).toBe(0);
        expect(compareDpkgVersions(a, b)).toBe(-compareDpkgVersions(b, a) || 0);
        if (compareDpkgVersions(a, b) <= 0 && compareDpkgVersions(b, c) <= 0) expect(compareDpkgVersions(a, c)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 2000 },
    );
  });

  it.runIf(existsSync('/usr/bin/dpkg'))('agrees with dpkg --compare-versions on generated versions', () => {
    const samples = fc.sample(fc.tuple(version, version), { numRuns: 150, seed: 4242 });
    for (const [a, b] of samples) {
      const less = spawnSync('/usr/bin/dpkg', ['--compare-versions', a, 'lt', b]).status === 0;
      const equal = spawnSync('/usr/bin/dpkg', ['--compare-versions', a, 'eq', b]).status === 0;
      expect([a, b, compareDpkgVersions(a, b)]).toEqual([a, b, less ? -1 : equal ? 0 : 1]);
    }
  });

  it('takes time linear in the length of the versions', () => {
    const long = (n: number): [string, string] => [`1${'.0a~'.repeat(n)}1`, `1${'.0a~'.repeat(n)}2`];
    const time = (n: number): number => {
      const [a, b] = long(n);
      let best = Number.POSITIVE_INFINITY;
      for (let run = 0; run < 5; run += 1) {
        const start = process.cpuUsage();
        for (let repeat = 0; repeat < 20; repeat += 1) compareDpkgVersions(a, b);
        const used = process.cpuUsage(start);
        best = Math.min(best, used.user + used.system);
      }
      return best;
    };
    time(20_000);
    expect(compareDpkgVersions(...long(20_000))).toBe(-1);
    expect(time(80_000)).toBeLessThan(8 * time(20_000) + 2000);
  });
});
