import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/DA461.js';
import type { Advisory, AdvisoryDatabase } from '../../../src/snapshot/advisories.js';
import { advisoryKey } from '../../../src/snapshot/advisories.js';
import type { ImageContents, UnscannedImage } from '../../../src/snapshot/image-contents.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { layer, scannedImage, snapWithScans } from './scan-builder.js';

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n';
const STATUS = [
  'Package: libssl3\nStatus: install ok installed\nSource: openssl\nVersion: 3.0.11-1~deb12u2\n',
  'Package: openssl\nStatus: install ok installed\nVersion: 3.0.11-1~deb12u2\n',
  'Package: libc6\nStatus: install ok installed\nSource: glibc (2.36-9+deb12u4)\nVersion: 2.36-9+deb12u4+b1\n',
  'Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\n',
].join('\n');

const fixedAt = (version: string): Advisory['ranges'] => [
  [
    { kind: 'introduced', version: '0' },
    { kind: 'fixed', version },
  ],
];
const open: Advisory['ranges'] = [[{ kind: 'introduced', version: '0' }]];

function database(packages: Record<string, Advisory[]>, extra: Partial<AdvisoryDatabase> = {}): AdvisoryDatabase {
  return {
    sources: ['/db'],
    documents: 40_000,
    unreadable: { count: 0, examples: [] },
    ecosystems: { 'Debian:12': 30_000, 'Alpine:v3.19': 10_000 },
    packages: Object.fromEntries(Object.entries(packages).map(([key, list]) => [advisoryKey('Debian:12', key), list])),
    ...extra,
  };
}

const OPENSSL: Advisory[] = [
  { id: 'DSA-5678-1', aliases: ['CVE-2024-0727'], ranges: fixedAt('3.0.13-1~deb12u1'), versions: [] },
  { id: 'DSA-5700-1', aliases: ['CVE-2024-4741'], severity: 'high', severityText: 'severity high', ranges: fixedAt('3.0.14-1~deb12u1'), versions: [] },
  { id: 'DSA-5000-1', aliases: [], ranges: fixedAt('3.0.2-1'), versions: [] },
];
const GLIBC: Advisory[] = [{ id: 'DEBIAN-CVE-2010-4756', aliases: ['CVE-2010-4756'], severity: 'low', ranges: open, versions: [] }];

function run(images: (ImageContents | UnscannedImage)[], advisories: AdvisoryDatabase | { unavailable: true; reason: string } | undefined, options?: Record<string, unknown>) {
  return runRule(
    rule,
    snapWithScans(...images)
      .with((snapshot) => {
        if (advisories !== undefined) snapshot.advisories = advisories;
      })
      .build(),
    options,
  );
}

const debianImage = (status = STATUS, name = 'app:1'): ImageContents =>
  scannedImage([layer({ texts: { 'etc/os-release': DEBIAN, 'var/lib/dpkg/status': status } })], { names: [name] });

describe('DA461 image-known-vulnerabilities', () => {
  it('fails an image whose source packages have advisories with a fix, listing fixable and unfixed apart, with the worst severity', () => {
    const finding = findingFor(run([debianImage()], database({ openssl: OPENSSL, glibc: GLIBC })), 'app:1');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'vulnerable', severity: 'high' });
    expect(finding.message).toBe(
      '2 advisories with a fix affect 1 source packages of Debian GNU/Linux 12 (bookworm): openssl 3.0.11-1~deb12u2 → 3.0.14-1~deb12u1: DSA-5700-1 (CVE-2024-4741, high), DSA-5678-1 (CVE-2024-0727). ' +
        '1 more have no fix yet (1 packages): glibc 2.36-9+deb12u4: DEBIAN-CVE-2010-4756 (CVE-2010-4756, low)',
    );
  });

  it('rates a finding whose advisories give no severity as the option says', () => {
    const finding = findingFor(run([debianImage()], database({ openssl: [OPENSSL[0] as Advisory] }), { unratedSeverity: 'critical' }), 'app:1');
    expect(finding).toMatchObject({ status: 'fail', severity: 'critical' });
  });

  it('warns when no advisory has a fix yet, and fails then only when asked to', () => {
    expect(findingFor(run([debianImage()], database({ glibc: GLIBC })), 'app:1')).toMatchObject({ status: 'warn', messageId: 'onlyUnfixed', severity: 'low' });
    expect(findingFor(run([debianImage()], database({ glibc: GLIBC }), { failOnUnfixed: true }), 'app:1')).toMatchObject({ status: 'fail', messageId: 'onlyUnfixed' });
  });

  it('passes an image none of whose packages is affected', () => {
    const finding = findingFor(run([debianImage()], database({ openssl: [OPENSSL[2] as Advisory] })), 'app:1');
    expect(finding).toMatchObject({ status: 'pass', messageId: 'clean' });
    expect(finding.message).toBe('4 installed packages (3 source packages) of Debian GNU/Linux 12 (bookworm) checked against 30000 advisories of Debian:12: none affects them');
  });

  it('lists at most `top` packages and a few advisories each, with the count of the rest', () => {
    const status = Array.from({ length: 8 }, (_, index) => `Package: p${index}\nStatus: install ok installed\nVersion: 1.0-1\n`).join('\n');
    const many = Object.fromEntries(Array.from({ length: 8 }, (_, index) => [`p${index}`, Array.from({ length: 5 }, (_, n) => ({ id: `DSA-${index}${n}`, aliases: [], ranges: fixedAt('1.0-2'), versions: [] }))]));
    const finding = findingFor(run([debianImage(status)], database(many), { top: 2 }), 'app:1');
    expect(finding.message).toContain('40 advisories with a fix affect 8 source packages');
    expect(finding.message).toContain('p0 1.0-1 → 1.0-2: DSA-00, DSA-01, DSA-02 and 2 more; p1 1.0-1 → 1.0-2: DSA-10, DSA-11, DSA-12 and 2 more; and 6 more packages');
  });

  it('is skipped with the reason when there is no database, or it is empty, or it lacks the release', () => {
    expect(findingFor(run([debianImage()], { unavailable: true, reason: 'no vulnerability database: give --vuln-db PATH' }), 'app:1')).toMatchObject({ status: 'skipped', messageId: 'noDatabase', message: 'not checked: no vulnerability database: give --vuln-db PATH' });
    expect(findingFor(run([debianImage()], undefined), 'app:1').message).toContain('the snapshot holds no vulnerability database');
    expect(findingFor(run([debianImage()], database({}, { documents: 0 })), 'app:1')).toMatchObject({ status: 'skipped', messageId: 'emptyDatabase' });
    expect(findingFor(run([debianImage()], database({}, { ecosystems: { 'Alpine:v3.19': 3 } })), 'app:1')).toMatchObject({ status: 'skipped', messageId: 'releaseNotInDatabase' });
  });

  it('tells images it cannot check: no package database, no os-release, a release it does not cover', () => {
    const distroless = scannedImage([layer({ texts: { 'etc/os-release': DEBIAN } })], { names: ['distroless:1'] });
    const noRelease = scannedImage([layer({ texts: { 'var/lib/dpkg/status': STATUS } })], { names: ['bare:1'] });
    const fedora = scannedImage([layer({ texts: { 'etc/os-release': 'ID=fedora\nVERSION_ID=40\n', 'var/lib/dpkg/status': STATUS } })], { names: ['fedora:40'] });
    const findings = run([distroless, noRelease, fedora], database({ openssl: OPENSSL }));
    expect(summary(findings)).toEqual([
      ['distroless:1', 'info', 'noPackages'],
      ['bare:1', 'skipped', 'noOsRelease'],
      ['fedora:40', 'skipped', 'releaseNotCovered'],
    ]);
  });

  it('matches Alpine images by origin package, in apk order', () => {
    const alpine = scannedImage(
      [layer({ texts: { 'etc/os-release': 'ID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n', 'lib/apk/db/installed': 'P:libssl3\nV:3.1.4-r0\no:openssl\n\nP:musl\nV:1.2.4-r2\n' } })],
      { names: ['alpine:3.19'] },
    );
    const db = database({});
    db.packages[advisoryKey('Alpine:v3.19', 'openssl')] = [{ id: 'ALPINE-CVE-2023-5678', aliases: ['CVE-2023-5678'], ranges: fixedAt('3.1.4-r1'), versions: [] }];
    db.packages[advisoryKey('Alpine:v3.19', 'musl')] = [{ id: 'ALPINE-CVE-2025-26519', aliases: [], ranges: fixedAt('1.2.4-r1'), versions: [] }];
    const finding = findingFor(run([alpine], db), 'alpine:3.19');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'vulnerable' });
    expect(finding.message).toContain('openssl 3.1.4-r0 → 3.1.4-r1: ALPINE-CVE-2023-5678');
    expect(finding.message).not.toContain('musl');
  });

  it('reports a partly unreadable database once, as an error', () => {
    const findings = run([debianImage(STATUS, 'a:1'), debianImage(STATUS, 'b:1')], database({ openssl: OPENSSL }, { unreadable: { count: 3, examples: ['/db/x.json: not valid JSON'] } }));
    const errors = findings.filter((finding) => finding.messageId === 'databaseUnreadable');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ status: 'error', subject: { kind: 'file', name: '/db' } });
    expect(errors[0]?.message).toContain('3 document(s) or part(s) of the vulnerability database could not be read');
  });

  // Distroless: no status file, one stanza per package under var/lib/dpkg/status.d/, no Status: field.
  const DISTROLESS_BASE = {
    'etc/os-release': DEBIAN,
    'var/lib/dpkg/status.d/base-files': 'Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n',
    'var/lib/dpkg/status.d/libssl3': 'Package: libssl3\nSource: openssl\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\n',
    'var/lib/dpkg/status.d/libc6': 'Package: libc6\nSource: glibc (2.36-9+deb12u4)\nVersion: 2.36-9+deb12u4+b1\n',
  };

  it('matches the packages of a distroless image, recorded one file per package under /var/lib/dpkg/status.d/', () => {
    const image = scannedImage([layer({ texts: DISTROLESS_BASE })], { names: ['distroless-app:1'] });
    const finding = findingFor(run([image], database({ openssl: OPENSSL, glibc: GLIBC })), 'distroless-app:1');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'vulnerable', severity: 'high' });
    expect(finding.message).toContain('openssl 3.0.11-1~deb12u2 → 3.0.14-1~deb12u1');
    expect(finding.message).toContain('glibc 2.36-9+deb12u4: DEBIAN-CVE-2010-4756');
    const clean = findingFor(run([image], database({ 'base-files': [OPENSSL[2] as Advisory] })), 'distroless-app:1');
    expect(clean).toMatchObject({ status: 'pass', messageId: 'clean' });
    expect(clean.message).toMatch(/^3 installed packages \(3 source packages\)/);
  });

  it('leaves out a distroless package a later layer deleted, and reads the version a later layer wrote', () => {
    const image = scannedImage(
      [
        layer({ texts: DISTROLESS_BASE }),
        layer({ whiteouts: ['var/lib/dpkg/status.d/libssl3'], texts: { 'var/lib/dpkg/status.d/libc6': 'Package: libc6\nSource: glibc (2.36-9+deb12u4)\nVersion: 2.36-9+deb12u4+b1\n' } }),
      ],
      { names: ['distroless-app:2'] },
    );
    const finding = findingFor(run([image], database({ openssl: OPENSSL, glibc: GLIBC })), 'distroless-app:2');
    expect(finding).toMatchObject({ status: 'warn', messageId: 'onlyUnfixed' });
    expect(finding.message).not.toContain('openssl');
    const hidden = scannedImage([layer({ texts: DISTROLESS_BASE }), layer({ opaque: ['var/lib/dpkg/status.d'] })], { names: ['distroless-app:3'] });
    expect(findingFor(run([hidden], database({ openssl: OPENSSL })), 'distroless-app:3')).toMatchObject({ status: 'info', messageId: 'noPackages' });
  });

  it('counts a status.d stanza that says it is not installed as absent, and adds status.d packages a status file does not list', () => {
    const image = scannedImage(
      [
        layer({
          texts: {
            ...DISTROLESS_BASE,
            'var/lib/dpkg/status.d/libssl3': 'Package: libssl3\nStatus: deinstall ok config-files\nSource: openssl\nVersion: 3.0.11-1~deb12u2\n',
            'var/lib/dpkg/status': 'Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\n',
          },
        }),
      ],
      { names: ['mixed:1'] },
    );
    const finding = findingFor(run([image], database({ openssl: OPENSSL, glibc: GLIBC })), 'mixed:1');
    expect(finding).toMatchObject({ status: 'warn', messageId: 'onlyUnfixed' });
    expect(findingFor(run([image], database({ 'base-files': [OPENSSL[2] as Advisory] })), 'mixed:1').message).toMatch(/^3 installed packages/);
  });

  it('gives every affected package in the finding\'s details, worst first, with installed and fixed versions and all advisory ids', () => {
    const finding = findingFor(run([debianImage()], database({ openssl: OPENSSL, glibc: GLIBC })), 'app:1');
    expect(finding.details).toEqual({
      packageCount: 2,
      advisoryCount: 3,
      packagesNotListed: 0,
      packages: [
        {
          package: 'openssl',
          binaries: ['libssl3', 'openssl'],
          installed: '3.0.11-1~deb12u2',
          fixed: '3.0.14-1~deb12u1',
          severity: 'high',
          advisoryCount: 2,
          advisories: [
            { id: 'DSA-5700-1', aliases: ['CVE-2024-4741'], severity: 'high', fixed: '3.0.14-1~deb12u1' },
            { id: 'DSA-5678-1', aliases: ['CVE-2024-0727'], severity: null, fixed: '3.0.13-1~deb12u1' },
          ],
        },
        {
          package: 'glibc',
          binaries: ['libc6'],
          installed: '2.36-9+deb12u4',
          fixed: null,
          severity: 'low',
          advisoryCount: 1,
          advisories: [{ id: 'DEBIAN-CVE-2010-4756', aliases: ['CVE-2010-4756'], severity: 'low', fixed: null }],
        },
      ],
    });
    expect(findingFor(run([debianImage()], database({ glibc: GLIBC })), 'app:1').details).toMatchObject({ packageCount: 1, packages: [{ package: 'glibc', fixed: null }] });
    // A package with a fix comes before a worse-rated one without.
    const critical = [{ ...(GLIBC[0] as Advisory), severity: 'critical' as const }];
    const order = findingFor(run([debianImage()], database({ openssl: [OPENSSL[0] as Advisory], glibc: critical })), 'app:1').details?.['packages'] as { package: string }[];
    expect(order.map((item) => item.package)).toEqual(['openssl', 'glibc']);
  });

  it('bounds the details by the options, counting what is left out, and leaves them out when asked', () => {
    const capped = findingFor(run([debianImage()], database({ openssl: OPENSSL, glibc: GLIBC }), { detailPackages: 1, detailAdvisories: 1 }), 'app:1');
    expect(capped.details).toMatchObject({ packageCount: 2, advisoryCount: 3, packagesNotListed: 1, packages: [{ package: 'openssl', advisoryCount: 2, advisories: [{ id: 'DSA-5700-1' }] }] });
    expect((capped.details?.['packages'] as unknown[]).length).toBe(1);
    expect(findingFor(run([debianImage()], database({ openssl: OPENSSL }), { detailPackages: 0 }), 'app:1').details).toBeUndefined();
    expect(findingFor(run([debianImage()], database({ openssl: [OPENSSL[2] as Advisory] })), 'app:1').details).toBeUndefined();
  });
});
