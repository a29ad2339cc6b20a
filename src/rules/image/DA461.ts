import * as z from '../../zod.js';
import type { AdvisoryDatabase, AdvisorySeverity } from '../../snapshot/advisories.js';
import { advisoryKey } from '../../snapshot/advisories.js';
import { isUnavailable } from '../../snapshot/types.js';
import { imageOsReleaseFields, imagePackages, releaseOf } from '../../views/installed-packages.js';
import { VERSION_ORDERS, matchPackages, type PackageMatch, type VersionOrder } from '../../views/vulnerabilities.js';
import type { DetailValue, FindingDetails, RuleResult, Severity } from '../types.js';
import { defineRule } from '../define.js';
import { forEachImageScan } from './support/each-scan.js';

const SEVERITY_ORDER: AdvisorySeverity[] = ['critical', 'high', 'medium', 'low'];
/** Advisories shown per package in a message; the count says the rest. */
const IDS_PER_PACKAGE = 3;

function rank(severity: AdvisorySeverity | undefined): number {
  return severity === undefined ? SEVERITY_ORDER.length : SEVERITY_ORDER.indexOf(severity);
}

/** The worst severity of the advisories, the unrated counting as `unrated`. */
function worstOf(matches: PackageMatch[], unrated: Severity): Severity {
  let worst: AdvisorySeverity | undefined;
  for (const match of matches) {
    for (const advisory of match.advisories) {
      const severity = advisory.severity ?? (unrated as AdvisorySeverity);
      if (worst === undefined || rank(severity) < rank(worst)) worst = severity;
    }
  }
  return worst ?? unrated;
}

/**
 * `openssl 3.0.11-1~deb12u2 → 3.0.13-1~deb12u1: DSA-5678-1 (CVE-2024-0727, high), …` for the worst
 * few packages; the fixed version only when `order` is given.
 */
function packageList(matches: PackageMatch[], top: number, order?: VersionOrder): string {
  if (matches.length === 0) return 'none';
  const sorted = [...matches].sort(
    (a, b) =>
      Math.min(...a.advisories.map((advisory) => rank(advisory.severity))) - Math.min(...b.advisories.map((advisory) => rank(advisory.severity))) ||
      b.advisories.length - a.advisories.length ||
      (a.source < b.source ? -1 : a.source > b.source ? 1 : 0),
  );
  const shown = sorted.slice(0, top).map((match) => {
    const advisories = [...match.advisories].sort((a, b) => rank(a.severity) - rank(b.severity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const ids = advisories.slice(0, IDS_PER_PACKAGE).map((advisory) => {
      const notes = [advisory.aliases[0], advisory.severity].filter((note) => note !== undefined);
      return notes.length > 0 ? `${advisory.id} (${notes.join(', ')})` : advisory.id;
    });
    const more = advisories.length > IDS_PER_PACKAGE ? ` and ${advisories.length - IDS_PER_PACKAGE} more` : '';
    // The version that fixes all of the package's advisories is the highest of their fixes.
    const fixes = order ? advisories.map((advisory) => advisory.fixed).filter((fixed): fixed is string => fixed !== undefined) : [];
    const target = order && fixes.length > 0 ? ` → ${fixes.reduce((a, b) => (order(b, a) > 0 ? b : a))}` : '';
    return `${match.source} ${match.version}${target}: ${ids.join(', ')}${more}`;
  });
  return `${shown.join('; ')}${matches.length > top ? `; and ${matches.length - top} more packages` : ''}`;
}

/** The worst rating of a package's advisories; undefined when none is rated. */
function packageSeverity(match: PackageMatch): AdvisorySeverity | undefined {
  let worst: AdvisorySeverity | undefined;
  for (const advisory of match.advisories) if (advisory.severity !== undefined && (worst === undefined || rank(advisory.severity) < rank(worst))) worst = advisory.severity;
  return worst;
}

/**
 * The finding's `details`: every affected source package, those with a fix first (the message
 * keeps them apart too), each group worst first, each with its installed version, the version that fixes all its fixable advisories,
 * and its advisories (id, aliases, severity, fix). At most `maxPackages` packages and
 * `maxAdvisories` advisories per package are listed; the counts say how many there are.
 */
function detailsOf(matches: PackageMatch[], order: VersionOrder, maxPackages: number, maxAdvisories: number): FindingDetails {
  const hasFix = (match: PackageMatch): number => (match.advisories.some((advisory) => advisory.fixed !== undefined) ? 0 : 1);
  const sorted = [...matches].sort(
    (a, b) =>
      hasFix(a) - hasFix(b) ||
      rank(packageSeverity(a)) - rank(packageSeverity(b)) || b.advisories.length - a.advisories.length || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0),
  );
  const packages: DetailValue[] = sorted.slice(0, maxPackages).map((match) => {
    const advisories = [...match.advisories].sort((a, b) => rank(a.severity) - rank(b.severity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const fixes = advisories.map((advisory) => advisory.fixed).filter((fixed): fixed is string => fixed !== undefined);
    const severity = packageSeverity(match);
    return {
      package: match.source,
      binaries: [...match.binaries],
      installed: match.version,
      fixed: fixes.length > 0 ? fixes.reduce((a, b) => (order(b, a) > 0 ? b : a)) : null,
      severity: severity ?? null,
      advisoryCount: advisories.length,
      advisories: advisories.slice(0, maxAdvisories).map((advisory) => ({ id: advisory.id, aliases: [...advisory.aliases], severity: advisory.severity ?? null, fixed: advisory.fixed ?? null })),
    };
  });
  return { packageCount: matches.length, advisoryCount: count(matches), packages, packagesNotListed: Math.max(0, matches.length - maxPackages) };
}

function count(matches: PackageMatch[]): number {
  return matches.reduce((total, match) => total + match.advisories.length, 0);
}

/** Splits each package's advisories into those with a fix for the release and those without. */
function split(matches: PackageMatch[]): { fixable: PackageMatch[]; unfixed: PackageMatch[] } {
  const fixable: PackageMatch[] = [];
  const unfixed: PackageMatch[] = [];
  for (const match of matches) {
    const withFix = match.advisories.filter((advisory) => advisory.fixed !== undefined);
    const without = match.advisories.filter((advisory) => advisory.fixed === undefined);
    if (withFix.length > 0) fixable.push({ ...match, advisories: withFix });
    if (without.length > 0) unfixed.push({ ...match, advisories: without });
  }
  return { fixable, unfixed };
}

/** The database of the snapshot, or why there is none. */
function databaseOf(advisories: AdvisoryDatabase | { unavailable: true; reason: string } | undefined): AdvisoryDatabase | string {
  if (advisories === undefined) return 'the snapshot holds no vulnerability database (its images were scanned without one)';
  if (isUnavailable(advisories)) return advisories.reason;
  return advisories;
}

const rule = defineRule({
  meta: {
    id: 'DA461',
    alias: 'image-known-vulnerabilities',
    family: 'image',
    title: 'Packages of images have no known vulnerability with a fix available',
    severity: 'high',
    rationale:
      'A package with a published advisory and a fixed version is a flaw anyone can look up; an image that still carries it has not been rebuilt since the fix. Matching the installed packages against the advisories of the image\'s own release (Debian, Ubuntu and Alpine publish them in the OSV format) tells which images need a rebuild, and which flaws have no fix yet (CIS 4.4).',
    remediation:
      'Rebuild the image so that it installs the fixed versions (pull the current base image, run the package upgrade in the build, rebuild without cache), then redeploy the containers. Advisories with no fix yet: watch them, and reduce what the image installs.',
    references: { cis: ['4.4'], checklist: ['UPD-1', 'IMG-5'] },
    needs: ['imageContents'],
    messages: {
      noDatabase: 'not checked: {{reason}}',
      emptyDatabase: 'not checked: the vulnerability database ({{sources}}) holds no advisory',
      databaseUnreadable: '{{count}} document(s) or part(s) of the vulnerability database could not be read, so some advisories may be missing from this audit; first: {{examples}}',
      noPackages: 'no dpkg or apk package database in the final filesystem, nor package files under /var/lib/dpkg/status.d/ (a scratch image?): its packages cannot be checked against advisories',
      noOsRelease: 'not checked: no os-release file in the final filesystem, so the release whose advisories apply cannot be told',
      releaseNotCovered: 'not checked: {{os}} is not a release dockaudit matches advisories for (Debian, Ubuntu and Alpine releases are)',
      releaseNotInDatabase: 'not checked: the vulnerability database has no advisory for {{ecosystem}} ({{os}}); update it (dockaudit db update) or give one that covers this release',
      clean: '{{packages}} installed packages ({{sources}} source packages) of {{os}} checked against {{advisories}} advisories of {{ecosystem}}: none affects them',
      vulnerable:
        '{{fixableCount}} advisories with a fix affect {{fixablePackages}} source packages of {{os}}: {{fixableList}}. {{unfixedCount}} more have no fix yet ({{unfixedPackages}} packages): {{unfixedList}}',
      onlyUnfixed: '{{unfixedCount}} advisories affect {{unfixedPackages}} source packages of {{os}}, none fixed yet for this release: {{unfixedList}}',
    },
  },
  options: z.object({
    /** Source packages listed per part of the message; the count says the rest. */
    top: z._default(z.int().check(z.gte(1), z.lte(100)), 5),
    /** Severity of a finding whose advisories give none (Debian's DSAs carry no rating). */
    unratedSeverity: z._default(z.enum(['critical', 'high', 'medium', 'low']), 'medium'),
    /** Whether advisories without a fix make an image fail too; by default they only warn. */
    failOnUnfixed: z._default(z.boolean(), false),
    /** Source packages listed in the finding's `details` (JSON, SARIF, HTML); 0 leaves `details` out. */
    detailPackages: z._default(z.int().check(z.gte(0), z.lte(100_000)), 1000),
    /** Advisories listed per package in `details`; its `advisoryCount` says how many there are. */
    detailAdvisories: z._default(z.int().check(z.gte(1), z.lte(100_000)), 100),
  }),
  check: (context) => {
    const database = databaseOf(context.snapshot.advisories);
    const results: RuleResult[] = [];
    if (typeof database !== 'string' && database.unreadable.count > 0) {
      results.push({
        subject: { kind: 'file', name: database.sources.join(', ') },
        status: 'error',
        messageId: 'databaseUnreadable',
        data: { count: database.unreadable.count, examples: database.unreadable.examples.join('; ') },
      });
    }
    const perImage = forEachImageScan<string, typeof context.options>((contents, _filesystem, { options }) => {
      if (typeof database === 'string') return { status: 'skipped', messageId: 'noDatabase', data: { reason: database } };
      if (database.documents === 0) return { status: 'skipped', messageId: 'emptyDatabase', data: { sources: database.sources.join(', ') } };
      const installed = imagePackages(contents);
      if (!installed) return { status: 'info', messageId: 'noPackages' };
      const fields = imageOsReleaseFields(contents);
      if (!fields) return { status: 'skipped', messageId: 'noOsRelease' };
      const release = releaseOf(fields);
      const os = fields['PRETTY_NAME'] || `${fields['ID'] ?? 'unknown'} ${fields['VERSION_ID'] ?? ''}`.trim();
      if (!release) return { status: 'skipped', messageId: 'releaseNotCovered', data: { os } };
      const covered = release.ecosystems.filter((ecosystem) => (database.ecosystems[ecosystem] ?? 0) > 0);
      if (covered.length === 0) return { status: 'skipped', messageId: 'releaseNotInDatabase', data: { ecosystem: release.ecosystems[0], os } };
      const matches = matchPackages(installed.packages, { ...release, ecosystems: covered }, (ecosystem, name) => database.packages[advisoryKey(ecosystem, name)] ?? []);
      if (matches.length === 0) {
        const sources = new Set(installed.packages.map((item) => item.source)).size;
        const advisories = covered.reduce((total, ecosystem) => total + (database.ecosystems[ecosystem] ?? 0), 0);
        return { status: 'pass', messageId: 'clean', data: { packages: installed.packages.length, sources, os, advisories, ecosystem: covered.join(', ') } };
      }
      const { fixable, unfixed } = split(matches);
      const order = VERSION_ORDERS[release.versionOrder];
      const details = options.detailPackages > 0 ? { details: detailsOf(matches, order, options.detailPackages, options.detailAdvisories) } : {};
      const unfixedData = { unfixedCount: count(unfixed), unfixedPackages: unfixed.length, unfixedList: packageList(unfixed, options.top), os };
      if (fixable.length === 0) {
        const severity = worstOf(unfixed, options.unratedSeverity);
        return { status: options.failOnUnfixed ? 'fail' : 'warn', messageId: 'onlyUnfixed', data: unfixedData, severity, ...details };
      }
      const severity = worstOf(options.failOnUnfixed ? matches : fixable, options.unratedSeverity);
      return {
        status: 'fail',
        messageId: 'vulnerable',
        data: { fixableCount: count(fixable), fixablePackages: fixable.length, fixableList: packageList(fixable, options.top, order), ...unfixedData },
        severity,
        ...details,
      };
    });
    return [...results, ...perImage(context)];
  },
});

export default rule;
