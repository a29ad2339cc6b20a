/**
 * OSV documents (https://ossf.github.io/osv-schema/) read into what matching needs, and an index
 * of them keyed by (ecosystem, package). Only ECOSYSTEM ranges and `versions` lists are kept:
 * the distributions publish no other kind for their packages. Withdrawn advisories are dropped.
 */
import type { Advisory, RangeEvent } from '../snapshot/advisories.js';
import { advisoryKey } from '../snapshot/advisories.js';
import { advisorySeverity } from './osv-severity.js';

/** One advisory about one package of one ecosystem. */
export interface OsvEntry {
  ecosystem: string;
  name: string;
  advisory: Advisory;
}

export type OsvReading =
  | { kind: 'entries'; entries: OsvEntry[] }
  /** Withdrawn by its publisher: not an error, and not an advisory. */
  | { kind: 'withdrawn' }
  | { kind: 'unreadable'; reason: string };

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}

const EVENT_KINDS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

function rangeEvents(range: Record<string, unknown>): RangeEvent[] | undefined {
  if (range['type'] !== 'ECOSYSTEM' || !Array.isArray(range['events'])) return undefined;
  const events: RangeEvent[] = [];
  for (const item of range['events']) {
    const event = record(item);
    if (!event) continue;
    for (const kind of EVENT_KINDS) {
      const version = event[kind];
      if (typeof version === 'string' && version !== '') events.push({ kind, version });
    }
  }
  return events.length > 0 ? events : undefined;
}

/** Reads one parsed OSV document. */
export function readOsvDocument(document: unknown): OsvReading {
  const root = record(document);
  if (!root) return { kind: 'unreadable', reason: 'not a JSON object' };
  const id = root['id'];
  if (typeof id !== 'string' || id === '') return { kind: 'unreadable', reason: 'no "id"' };
  if (typeof root['withdrawn'] === 'string' && root['withdrawn'] !== '') return { kind: 'withdrawn' };
  if (!Array.isArray(root['affected'])) return { kind: 'unreadable', reason: `${id}: no "affected" list` };
  const aliases = [...new Set([...strings(root['aliases']), ...strings(root['upstream'])])].filter((alias) => alias !== id);
  const entries: OsvEntry[] = [];
  for (const item of root['affected']) {
    const affected = record(item);
    const pkg = record(affected?.['package']);
    const ecosystem = pkg?.['ecosystem'];
    const name = pkg?.['name'];
    if (!affected || typeof ecosystem !== 'string' || typeof name !== 'string' || ecosystem === '' || name === '') continue;
    const ranges = (Array.isArray(affected['ranges']) ? affected['ranges'] : []).flatMap((range) => {
      const events = record(range) ? rangeEvents(record(range) as Record<string, unknown>) : undefined;
      return events ? [events] : [];
    });
    const versions = strings(affected['versions']);
    if (ranges.length === 0 && versions.length === 0) continue;
    const severity = advisorySeverity(root, affected);
    entries.push({
      ecosystem,
      name,
      advisory: { id, aliases, ...(severity ? { severity: severity.severity, severityText: severity.text } : {}), ranges, versions },
    });
  }
  return { kind: 'entries', entries };
}

/**
 * Advisories by (ecosystem, package), with a count of advisories per ecosystem. `keep` decides
 * which pairs are kept (the packages of the images being audited); every ecosystem is counted.
 */
export class AdvisoryIndex {
  readonly packages = new Map<string, Advisory[]>();
  readonly ecosystems = new Map<string, number>();
  documents = 0;
  readonly unreadable: { count: number; examples: string[] } = { count: 0, examples: [] };

  constructor(private readonly keep?: (ecosystem: string, name: string) => boolean) {}

  /** Adds one parsed document; `where` (its file) prefixes the reason when it cannot be read. */
  addDocument(document: unknown, where?: string): void {
    this.documents += 1;
    const reading = readOsvDocument(document);
    if (reading.kind === 'unreadable') {
      this.addUnreadable(where === undefined ? reading.reason : `${where}: ${reading.reason}`);
      return;
    }
    if (reading.kind === 'withdrawn') return;
    const counted = new Set<string>();
    for (const entry of reading.entries) {
      if (!counted.has(entry.ecosystem)) {
        counted.add(entry.ecosystem);
        this.ecosystems.set(entry.ecosystem, (this.ecosystems.get(entry.ecosystem) ?? 0) + 1);
      }
      if (this.keep && !this.keep(entry.ecosystem, entry.name)) continue;
      const key = advisoryKey(entry.ecosystem, entry.name);
      const list = this.packages.get(key);
      if (list) list.push(entry.advisory);
      else this.packages.set(key, [entry.advisory]);
    }
  }

  /** Counts a document (or a part of the database) that could not be read; the first few reasons are kept. */
  addUnreadable(reason: string): void {
    this.unreadable.count += 1;
    if (this.unreadable.examples.length < 5) this.unreadable.examples.push(reason.length > 200 ? `${reason.slice(0, 200)}…` : reason);
  }

  /** The advisories about a package of an ecosystem. */
  lookup(ecosystem: string, name: string): Advisory[] {
    return this.packages.get(advisoryKey(ecosystem, name)) ?? [];
  }
}
