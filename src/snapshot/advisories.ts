/**
 * Security advisories (OSV documents, as Debian, Ubuntu and Alpine publish them through osv.dev)
 * for the packages of the scanned images: only the part of a database those packages need, so a
 * snapshot can be audited again elsewhere with the same answer.
 */

/** Severity words of the report; an advisory that gives none has none. */
export type AdvisorySeverity = 'critical' | 'high' | 'medium' | 'low';

/** One event of an ECOSYSTEM range, in the order the document gives them. */
export interface RangeEvent {
  kind: 'introduced' | 'fixed' | 'last_affected' | 'limit';
  version: string;
}

/** What one advisory says of one package of one release. */
export interface Advisory {
  /** `DSA-5678-1`, `DEBIAN-CVE-2024-0727`, `ALPINE-CVE-2024-0727`, `UBUNTU-CVE-2024-0727`… */
  id: string;
  /** Other names of the same flaw (CVE ids), from `aliases` and `upstream`. */
  aliases: string[];
  severity?: AdvisorySeverity;
  /** Where the severity came from, as the document gives it: `CVSS 7.5`, `Ubuntu priority medium`. */
  severityText?: string;
  /** ECOSYSTEM ranges, each a list of events. */
  ranges: RangeEvent[][];
  /** Versions listed as affected one by one. */
  versions: string[];
}

/** The database an audit matched the images against, and what of it matters to them. */
export interface AdvisoryDatabase {
  /** Files and directories read. */
  sources: string[];
  /** Documents read (withdrawn ones included). */
  documents: number;
  /** Documents that could not be read, or parts of the database left unread at a cap. */
  unreadable: { count: number; examples: string[] };
  /** How many advisories name each ecosystem (`Debian:12`): tells a release the database lacks from one without advisories. */
  ecosystems: Record<string, number>;
  /** Advisories by `ecosystem` NUL `source package`, for the packages of the scanned images only. */
  packages: Record<string, Advisory[]>;
}

/** The key of `AdvisoryDatabase.packages`. */
export function advisoryKey(ecosystem: string, name: string): string {
  return `${ecosystem}\u0000${name}`;
}
