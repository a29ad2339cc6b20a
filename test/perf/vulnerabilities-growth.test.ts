/**
 * Reading advisories and matching packages grow linearly: a document of n and 4n affected
 * entries, and an image of n and 4n packages against advisories for each, must not take more
 * than 8 times as long (CPU time, best of several runs, after a warm-up).
 */
import { describe, expect, it } from 'vitest';
import { AdvisoryIndex } from '../../src/parsers/osv.js';
import type { Advisory } from '../../src/snapshot/advisories.js';
import type { InstalledPackage } from '../../src/views/installed-packages.js';
import { matchPackages } from '../../src/views/vulnerabilities.js';
import { bestCpuMs } from '../helpers/cpu.js';

const cpuMs = (work: () => void, runs = 5): number => bestCpuMs(work, runs);

function documentOf(n: number): unknown {
  return {
    id: 'BIG-1',
    aliases: ['CVE-2099-1'],
    affected: Array.from({ length: n }, (_, index) => ({
      package: { ecosystem: `Debian:${index % 20}`, name: `p${index}` },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: `1.${index}-1` }] }],
      versions: [`1.${index}-0`],
      ecosystem_specific: { urgency: 'low' },
    })),
  };
}

function image(n: number): { packages: InstalledPackage[]; advisories: Map<string, Advisory[]> } {
  const packages: InstalledPackage[] = [];
  const advisories = new Map<string, Advisory[]>();
  for (let index = 0; index < n; index += 1) {
    packages.push({ name: `p${index}`, version: `1.${index}-1`, source: `p${index}`, sourceVersion: `1.${index}-1` });
    advisories.set(
      `p${index}`,
      Array.from({ length: 20 }, (_, number) => ({ id: `A-${index}-${number}`, aliases: [], ranges: [[{ kind: 'introduced', version: '0' }, { kind: 'fixed', version: `1.${index + number - 10}-1` }]], versions: [] })),
    );
  }
  return { packages, advisories };
}

describe('advisories grow linearly', () => {
  it('reads a document of 4n affected entries within 8 times the time of n', () => {
    // Sizes that keep what one reading allocates within the young generation: past it, the
    // collector's promotions (not the reader) dominate the time of the larger case.
    const small = documentOf(1_500);
    const large = documentOf(6_000);
    const read = (document: unknown) => () => {
      for (let repeat = 0; repeat < 10; repeat += 1) new AdvisoryIndex().addDocument(document);
    };
    cpuMs(read(small), 2);
    cpuMs(read(large), 2);
    const ratio = cpuMs(read(large), 7) / Math.max(cpuMs(read(small), 7), 0.5);
    expect(ratio).toBeLessThan(8);
  });

  it('matches 4n packages within 8 times the time of n', () => {
    const release = { name: 'Debian 12', ecosystems: ['Debian:12'], versionOrder: 'dpkg' as const };
    const small = image(1_000);
    const large = image(4_000);
    const run = (case_: ReturnType<typeof image>) => () => matchPackages(case_.packages, release, (_ecosystem, name) => case_.advisories.get(name) ?? []);
    cpuMs(run(small), 2);
    const ratio = cpuMs(run(large)) / Math.max(cpuMs(run(small)), 0.5);
    expect(ratio).toBeLessThan(8);
  });
});
