/**
 * Which advisories affect an image's installed packages: each source package at its installed
 * version against the ECOSYSTEM ranges and version lists of the advisories of the image's own
 * release, in the order its package manager gives versions.
 *
 * A range's events are sorted by version; the version is affected when the last event it has
 * reached is an `introduced` one (`last_affected` is reached only past its version). The fixed
 * version reported is the first `fixed` event above the installed version; when there is none,
 * the advisory has no fix yet for this release.
 */
import type { Advisory, AdvisorySeverity, RangeEvent } from '../snapshot/advisories.js';
import { compareApkVersions } from '../parsers/versions/apk.js';
import { compareDpkgVersions } from '../parsers/versions/dpkg.js';
import type { ImageRelease, InstalledPackage, PackageManager } from './installed-packages.js';

export type VersionOrder = (a: string, b: string) => number;

export const VERSION_ORDERS: Record<PackageManager, VersionOrder> = { dpkg: compareDpkgVersions, apk: compareApkVersions };

export interface AdvisoryMatch {
  id: string;
  aliases: string[];
  severity?: AdvisorySeverity;
  severityText?: string;
  /** The first version that fixes it for this release; undefined when there is no fix yet. */
  fixed?: string;
}

/** A source package of the image, at one version, with the advisories that affect it. */
export interface PackageMatch {
  source: string;
  version: string;
  /** The installed binary packages built from it. */
  binaries: string[];
  advisories: AdvisoryMatch[];
}

function isIntroducedZero(event: RangeEvent): boolean {
  return event.kind === 'introduced' && event.version === '0';
}

/** Whether `version` lies in a range, and the fix above it when it does. */
export function inRange(version: string, events: RangeEvent[], order: VersionOrder): { affected: boolean; fixed?: string } {
  const sorted = events
    .filter((event) => event.kind !== 'limit')
    .sort((a, b) => (isIntroducedZero(a) ? (isIntroducedZero(b) ? 0 : -1) : isIntroducedZero(b) ? 1 : order(a.version, b.version)));
  let affected = false;
  let fixed: string | undefined;
  for (const event of sorted) {
    const reached = isIntroducedZero(event) || (event.kind === 'last_affected' ? order(version, event.version) > 0 : order(version, event.version) >= 0);
    if (reached) {
      affected = event.kind === 'introduced';
      fixed = undefined;
    } else if (affected && fixed === undefined && event.kind === 'fixed') fixed = event.version;
  }
  return affected ? { affected, ...(fixed !== undefined ? { fixed } : {}) } : { affected };
}

/** Whether an advisory affects `version`, and its fix for it. */
export function affects(version: string, advisory: Advisory, order: VersionOrder): { affected: boolean; fixed?: string } {
  let affected = false;
  let fixed: string | undefined;
  let unfixedRange = false;
  for (const events of advisory.ranges) {
    const verdict = inRange(version, events, order);
    if (!verdict.affected) continue;
    affected = true;
    if (verdict.fixed === undefined) unfixedRange = true;
    else if (fixed === undefined || order(verdict.fixed, fixed) < 0) fixed = verdict.fixed;
  }
  if (!affected && advisory.versions.some((listed) => listed === version || order(listed, version) === 0)) {
    return { affected: true };
  }
  if (!affected) return { affected: false };
  // A range open above the version wins over a fix in another range: no fix covers it.
  return unfixedRange || fixed === undefined ? { affected } : { affected, fixed };
}

/**
 * The advisories affecting each source package, looked up in every ecosystem of the release; an
 * advisory listed twice (two ecosystems, two entries) counts once, with the fix that covers both
 * entries (the higher one, or none when one has no fix).
 */
export function matchPackages(packages: InstalledPackage[], release: ImageRelease, lookup: (ecosystem: string, name: string) => Advisory[]): PackageMatch[] {
  const order = VERSION_ORDERS[release.versionOrder];
  const groups = new Map<string, { source: string; version: string; binaries: string[] }>();
  for (const item of packages) {
    const key = `${item.source}\u0000${item.sourceVersion}`;
    const group = groups.get(key);
    if (group) group.binaries.push(item.name);
    else groups.set(key, { source: item.source, version: item.sourceVersion, binaries: [item.name] });
  }
  const matches: PackageMatch[] = [];
  for (const group of groups.values()) {
    const found = new Map<string, AdvisoryMatch>();
    for (const ecosystem of release.ecosystems) {
      for (const advisory of lookup(ecosystem, group.source)) {
        const verdict = affects(group.version, advisory, order);
        if (!verdict.affected) continue;
        const known = found.get(advisory.id);
        if (known) {
          if (known.fixed !== undefined && (verdict.fixed === undefined || order(verdict.fixed, known.fixed) > 0)) {
            // Keep the fix that covers every entry: the higher one, or none.
            if (verdict.fixed === undefined) delete known.fixed;
            else known.fixed = verdict.fixed;
          }
          continue;
        }
        found.set(advisory.id, {
          id: advisory.id,
          aliases: advisory.aliases,
          ...(advisory.severity ? { severity: advisory.severity } : {}),
          ...(advisory.severityText ? { severityText: advisory.severityText } : {}),
          ...(verdict.fixed !== undefined ? { fixed: verdict.fixed } : {}),
        });
      }
    }
    if (found.size > 0) matches.push({ ...group, advisories: [...found.values()] });
  }
  return matches;
}
