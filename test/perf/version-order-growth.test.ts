/**
 * The version orders stay linear on pathological versions an advisory database or a package
 * database could hold (huge digit runs, long `~` runs, endless separators, suffix chains): two
 * versions of 4n characters take at most 8 times the CPU time of two of n, and the comparison
 * never throws and stays antisymmetric. So do the range checks over thousands of events.
 */
import { describe, expect, it } from 'vitest';
import { compareApkVersions, isValidApkVersion } from '../../src/parsers/versions/apk.js';
import { compareDpkgVersions } from '../../src/parsers/versions/dpkg.js';
import type { RangeEvent } from '../../src/snapshot/advisories.js';
import { inRange } from '../../src/views/vulnerabilities.js';
import { bestCpuMs } from '../helpers/cpu.js';

const cpuMs = (work: () => void, runs = 5): number => bestCpuMs(work, runs);

/** Pairs of versions of about `n` characters that differ only at their very end. */
const SHAPES: Record<string, (n: number) => [string, string]> = {
  digits: (n) => [`${'9'.repeat(n)}1`, `${'9'.repeat(n)}2`],
  zeros: (n) => [`1.${'0'.repeat(n)}1`, `1.${'0'.repeat(n)}2`],
  tildes: (n) => [`1${'~'.repeat(n)}a`, `1${'~'.repeat(n)}b`],
  dots: (n) => [`${'1.'.repeat(n / 2)}1`, `${'1.'.repeat(n / 2)}2`],
  letters: (n) => [`1${'a1'.repeat(n / 2)}a`, `1${'a1'.repeat(n / 2)}b`],
  suffixes: (n) => [`1${'_p1'.repeat(n / 3)}_p1`, `1${'_p1'.repeat(n / 3)}_p2`],
  epochs: (n) => [`${'1'.repeat(n)}:1-1`, `${'1'.repeat(n)}:1-2`],
  dashes: (n) => [`1${'-'.repeat(n)}1`, `1${'-'.repeat(n)}2`],
  garbage: (n) => [`${'\u0000!~-_.:r'.repeat(n / 8)}1`, `${'\u0000!~-_.:r'.repeat(n / 8)}2`],
};

const ORDERS = { dpkg: compareDpkgVersions, apk: compareApkVersions };

describe('version orders grow linearly on pathological versions', () => {
  for (const [orderName, order] of Object.entries(ORDERS)) {
    for (const [shape, make] of Object.entries(SHAPES)) {
      it(`${orderName}: ${shape}`, () => {
        const n = 50_000;
        const [a, b] = make(n);
        const [bigA, bigB] = make(4 * n);
        for (const [x, y] of [[a, b], [bigA, bigB]] as const) {
          const forward = order(x, y);
          expect([-1, 0, 1]).toContain(forward);
          expect(order(y, x)).toBe(forward === 0 ? 0 : -forward);
          expect(order(x, x)).toBe(0);
        }
        if (orderName === 'apk') expect(typeof isValidApkVersion(bigA)).toBe('boolean');
        const small = cpuMs(() => {
          for (let repeat = 0; repeat < 10; repeat += 1) order(a, b);
        });
        const large = cpuMs(() => {
          for (let repeat = 0; repeat < 10; repeat += 1) order(bigA, bigB);
        });
        expect(large).toBeLessThan(Math.max(small, 1) * 8);
      });
    }
  }

  it('checks a range of thousands of events within 8 times the time of a quarter of them', () => {
    const events = (n: number): RangeEvent[] => Array.from({ length: n }, (_, index) => ({ kind: index % 2 === 0 ? 'introduced' : 'fixed', version: `1.${index}-1` }) as RangeEvent);
    const small = events(5_000);
    const large = events(20_000);
    expect(inRange('1.2500-1', small, compareDpkgVersions).affected).toBe(true);
    const smallMs = cpuMs(() => inRange('1.2500-1', small, compareDpkgVersions));
    const largeMs = cpuMs(() => inRange('1.2500-1', large, compareDpkgVersions));
    // Sorting the events is n log n: 4n stays well within 8 times n for these sizes.
    expect(largeMs).toBeLessThan(Math.max(smallMs, 1) * 8);
  });
});
