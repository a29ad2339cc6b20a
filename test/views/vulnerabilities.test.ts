import { describe, expect, it } from 'vitest';
import type { Advisory } from '../../src/snapshot/advisories.js';
import { apkPackages, dpkgPackages, releaseOf, parseOsReleaseText } from '../../src/views/installed-packages.js';
import { affects, inRange, matchPackages, VERSION_ORDERS } from '../../src/views/vulnerabilities.js';

const dpkg = VERSION_ORDERS.dpkg;
const advisory = (id: string, ranges: Advisory['ranges'], versions: string[] = []): Advisory => ({ id, aliases: [], ranges, versions });
const fixedAt = (version: string): Advisory['ranges'][number] => [
  { kind: 'introduced', version: '0' },
  { kind: 'fixed', version },
];

describe('installed packages', () => {
  it('reads the source package and its version from dpkg status, installed packages only', () => {
    const status = [
      'Package: libssl3\nStatus: install ok installed\nSource: openssl\nVersion: 3.0.11-1~deb12u2\n',
      'Package: libc6\nStatus: install ok installed\nSource: glibc (2.36-9+deb12u4)\nVersion: 2.36-9+deb12u4+b1\n',
      'Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\n',
      'Package: gone\nStatus: deinstall ok config-files\nVersion: 1.0\n',
    ].join('\n');
    expect(dpkgPackages(status)).toEqual([
      { name: 'libssl3', version: '3.0.11-1~deb12u2', source: 'openssl', sourceVersion: '3.0.11-1~deb12u2' },
      { name: 'libc6', version: '2.36-9+deb12u4+b1', source: 'glibc', sourceVersion: '2.36-9+deb12u4' },
      { name: 'bash', version: '5.2.15-2+b2', source: 'bash', sourceVersion: '5.2.15-2+b2' },
    ]);
  });

  it('reads the origin of apk packages', () => {
    expect(apkPackages('C:Q1=\nP:libssl3\nV:3.1.4-r0\no:openssl\n\nP:musl\nV:1.2.4-r2\n')).toEqual([
      { name: 'libssl3', version: '3.1.4-r0', source: 'openssl', sourceVersion: '3.1.4-r0' },
      { name: 'musl', version: '1.2.4-r2', source: 'musl', sourceVersion: '1.2.4-r2' },
    ]);
  });

  it('names the OSV ecosystems of a release from os-release', () => {
    const release = (text: string) => releaseOf(parseOsReleaseText(text));
    expect(release('ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"')).toMatchObject({ ecosystems: ['Debian:12'], versionOrder: 'dpkg' });
    expect(release('ID=alpine\nVERSION_ID=3.19.1')).toMatchObject({ ecosystems: ['Alpine:v3.19'], versionOrder: 'apk' });
    expect(release('ID=ubuntu\nVERSION_ID="22.04"\nVERSION="22.04.4 LTS (Jammy Jellyfish)"')?.ecosystems).toEqual(['Ubuntu:22.04:LTS', 'Ubuntu:22.04']);
    expect(release('ID=ubuntu\nVERSION_ID="24.10"\nVERSION="24.10 (Oracular Oriole)"')?.ecosystems[0]).toBe('Ubuntu:24.10');
    expect(release('ID=debian\nPRETTY_NAME="Debian GNU/Linux trixie/sid"')).toBeUndefined();
    expect(release('ID=fedora\nVERSION_ID=40')).toBeUndefined();
  });
});

describe('matching versions against ranges', () => {
  it('affects versions from introduced up to fixed, and names the fix', () => {
    expect(inRange('1.0-1', fixedAt('1.0-2'), dpkg)).toEqual({ affected: true, fixed: '1.0-2' });
    expect(inRange('1.0-2', fixedAt('1.0-2'), dpkg)).toEqual({ affected: false });
    expect(inRange('1.0-2~deb12u1', fixedAt('1.0-2'), dpkg)).toEqual({ affected: true, fixed: '1.0-2' });
  });

  it('reads several introduced/fixed pairs, last_affected and open ranges', () => {
    const twice: Advisory['ranges'][number] = [
      { kind: 'introduced', version: '1.0' },
      { kind: 'fixed', version: '1.5' },
      { kind: 'introduced', version: '2.0' },
      { kind: 'fixed', version: '2.3' },
    ];
    expect(inRange('0.9', twice, dpkg)).toEqual({ affected: false });
    expect(inRange('1.2', twice, dpkg)).toEqual({ affected: true, fixed: '1.5' });
    expect(inRange('1.7', twice, dpkg)).toEqual({ affected: false });
    expect(inRange('2.1', twice, dpkg)).toEqual({ affected: true, fixed: '2.3' });
    const last: Advisory['ranges'][number] = [
      { kind: 'introduced', version: '0' },
      { kind: 'last_affected', version: '2.0' },
    ];
    expect(inRange('2.0', last, dpkg)).toEqual({ affected: true });
    expect(inRange('2.0.1', last, dpkg)).toEqual({ affected: false });
    expect(inRange('9', [{ kind: 'introduced', version: '0' }], dpkg)).toEqual({ affected: true });
  });

  it('takes listed versions as affected, with no fix', () => {
    expect(affects('3.0.2-0ubuntu1', advisory('U-1', [], ['3.0.2-0ubuntu1']), dpkg)).toEqual({ affected: true });
    expect(affects('3.0.2-0ubuntu2', advisory('U-1', [], ['3.0.2-0ubuntu1']), dpkg)).toEqual({ affected: false });
  });

  it('orders Alpine versions as apk does', () => {
    expect(inRange('3.1.4-r0', fixedAt('3.1.4-r1'), VERSION_ORDERS.apk)).toEqual({ affected: true, fixed: '3.1.4-r1' });
    expect(inRange('3.1.10-r0', fixedAt('3.1.4-r1'), VERSION_ORDERS.apk)).toEqual({ affected: false });
  });
});

describe('matching an image', () => {
  const release = { name: 'Debian 12', ecosystems: ['Debian:12'], versionOrder: 'dpkg' as const };
  const packages = dpkgPackages(
    [
      'Package: libssl3\nStatus: install ok installed\nSource: openssl\nVersion: 3.0.11-1~deb12u2\n',
      'Package: openssl\nStatus: install ok installed\nVersion: 3.0.11-1~deb12u2\n',
      'Package: libc6\nStatus: install ok installed\nSource: glibc (2.36-9+deb12u4)\nVersion: 2.36-9+deb12u4+b1\n',
    ].join('\n'),
  );
  const database: Record<string, Advisory[]> = {
    'Debian:12/openssl': [advisory('DSA-1', [fixedAt('3.0.13-1~deb12u1')]), advisory('DEBIAN-CVE-2', [[{ kind: 'introduced', version: '0' }]]), advisory('DSA-0', [fixedAt('3.0.11-1~deb12u1')])],
    'Debian:12/glibc': [advisory('DSA-3', [fixedAt('2.36-9+deb12u5')]), advisory('DSA-4', [fixedAt('2.36-9+deb12u4')])],
    'Debian:11/glibc': [advisory('DSA-5', [fixedAt('9')])],
  };
  const lookup = (ecosystem: string, name: string): Advisory[] => database[`${ecosystem}/${name}`] ?? [];

  it('groups binary packages by source and keeps only the advisories that affect the installed source version', () => {
    const matches = matchPackages(packages, release, lookup);
    expect(matches).toEqual([
      {
        source: 'openssl',
        version: '3.0.11-1~deb12u2',
        binaries: ['libssl3', 'openssl'],
        advisories: [
          { id: 'DSA-1', aliases: [], fixed: '3.0.13-1~deb12u1' },
          { id: 'DEBIAN-CVE-2', aliases: [] },
        ],
      },
      // The source version, not the binNMU's, decides: 2.36-9+deb12u4 is fixed for DSA-4.
      { source: 'glibc', version: '2.36-9+deb12u4', binaries: ['libc6'], advisories: [{ id: 'DSA-3', aliases: [], fixed: '2.36-9+deb12u5' }] },
    ]);
  });

  it('counts an advisory listed in two ecosystems once, with the fix that covers both', () => {
    const both = { ...release, ecosystems: ['A', 'B'] };
    const twice = (ecosystem: string): Advisory[] => (ecosystem === 'A' ? [advisory('X', [fixedAt('2')])] : [advisory('X', [fixedAt('3')])]);
    expect(matchPackages([{ name: 'p', version: '1', source: 'p', sourceVersion: '1' }], both, twice)[0]?.advisories).toEqual([{ id: 'X', aliases: [], fixed: '3' }]);
  });
});
