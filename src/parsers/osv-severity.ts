/**
 * The severity of an OSV advisory, from what its publisher gives: the distribution's own word
 * (Ubuntu's priority, `database_specific.severity`, Debian's urgency) first, since it judges the
 * flaw in the distribution's build; else a CVSS vector, scored by the CVSS 3.x or 2.0 base
 * equations (a CVSS 4.0 vector is used only when a numeric score accompanies it).
 */
import type { AdvisorySeverity } from '../snapshot/advisories.js';

export interface SeverityReading {
  severity: AdvisorySeverity;
  /** What it was read from, for messages. */
  text: string;
}

const WORDS: Record<string, AdvisorySeverity> = {
  critical: 'critical',
  high: 'high',
  important: 'high',
  medium: 'medium',
  moderate: 'medium',
  low: 'low',
  negligible: 'low',
  unimportant: 'low',
};

/** `HIGH`, `Moderate`, `medium` → the report's word; undefined for anything else (`unknown`, `not yet assigned`). */
export function severityFromWord(word: unknown): AdvisorySeverity | undefined {
  return typeof word === 'string' ? own(WORDS, word.trim().toLowerCase()) : undefined;
}

/**
 * `table[key]` when the table itself has that key: a word or metric from a document that names
 * a property every object has (`constructor`, `__proto__`) is not one of its entries.
 */
function own<T>(table: Readonly<Record<string, T>>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** The qualitative rating of a CVSS score (3.x bands; a 2.0 score of 9 or more counts as critical too). */
export function severityFromScore(score: number): AdvisorySeverity | undefined {
  if (!Number.isFinite(score) || score <= 0) return undefined;
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}

function metrics(vector: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of vector.split('/')) {
    const colon = part.indexOf(':');
    if (colon > 0) found.set(part.slice(0, colon), part.slice(colon + 1));
  }
  return found;
}

/** CVSS 3.x rounding up to one decimal, as the specification defines it (free of floating-point surprises). */
function roundUp(value: number): number {
  const whole = Math.round(value * 100_000);
  return whole % 10_000 === 0 ? whole / 100_000 : (Math.floor(whole / 10_000) + 1) / 10;
}

/** The base score of a CVSS 3.0 or 3.1 vector, or undefined when a base metric is missing or unknown. */
export function cvss3BaseScore(vector: string): number | undefined {
  const m = metrics(vector);
  const scopeChanged = m.get('S') === 'C';
  if (m.get('S') !== 'U' && !scopeChanged) return undefined;
  const av = own({ N: 0.85, A: 0.62, L: 0.55, P: 0.2 }, m.get('AV'));
  const ac = own({ L: 0.77, H: 0.44 }, m.get('AC'));
  const pr = own(scopeChanged ? { N: 0.85, L: 0.68, H: 0.5 } : { N: 0.85, L: 0.62, H: 0.27 }, m.get('PR'));
  const ui = own({ N: 0.85, R: 0.62 }, m.get('UI'));
  const cia = ['C', 'I', 'A'].map((name) => own({ H: 0.56, L: 0.22, N: 0 }, m.get(name)));
  if (av === undefined || ac === undefined || pr === undefined || ui === undefined || cia.some((value) => value === undefined)) return undefined;
  const [c, i, a] = cia as [number, number, number];
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = scopeChanged ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  if (impact <= 0) return 0;
  const exploitability = 8.22 * av * ac * pr * ui;
  return roundUp(Math.min(scopeChanged ? 1.08 * (impact + exploitability) : impact + exploitability, 10));
}

/** The base score of a CVSS 2.0 vector, or undefined when a base metric is missing or unknown. */
export function cvss2BaseScore(vector: string): number | undefined {
  const m = metrics(vector.replace(/^\(|\)$/g, ''));
  const av = own({ L: 0.395, A: 0.646, N: 1 }, m.get('AV'));
  const ac = own({ H: 0.35, M: 0.61, L: 0.71 }, m.get('AC'));
  const au = own({ M: 0.45, S: 0.56, N: 0.704 }, m.get('Au'));
  const cia = ['C', 'I', 'A'].map((name) => own({ N: 0, P: 0.275, C: 0.66 }, m.get(name)));
  if (av === undefined || ac === undefined || au === undefined || cia.some((value) => value === undefined)) return undefined;
  const [c, i, a] = cia as [number, number, number];
  const impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
  const exploitability = 20 * av * ac * au;
  const score = (0.6 * impact + 0.4 * exploitability - 1.5) * (impact === 0 ? 0 : 1.176);
  return Math.round(score * 10) / 10;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The severity an OSV `severity` list gives, from its first entry that can be read. */
function fromSeverityList(list: unknown): SeverityReading | undefined {
  if (!Array.isArray(list)) return undefined;
  let scored: SeverityReading | undefined;
  for (const entry of list) {
    const item = record(entry);
    const type = typeof item?.['type'] === 'string' ? item['type'] : '';
    const score = typeof item?.['score'] === 'string' ? item['score'].trim() : typeof item?.['score'] === 'number' ? String(item['score']) : '';
    if (score === '') continue;
    const word = severityFromWord(score);
    // A distribution's own rating in the list (`{"type": "Ubuntu", "score": "medium"}`) wins.
    if (word) return { severity: word, text: `${type || 'rated'} ${score.toLowerCase()}` };
    if (scored) continue;
    const numeric = /^\d+(\.\d+)?$/.test(score) ? Number(score) : type === 'CVSS_V3' || score.startsWith('CVSS:3') ? cvss3BaseScore(score) : type === 'CVSS_V2' ? cvss2BaseScore(score) : undefined;
    const severity = numeric === undefined ? undefined : severityFromScore(numeric);
    if (severity && numeric !== undefined) scored = { severity, text: `CVSS ${numeric.toFixed(1)}` };
  }
  return scored;
}

/** The word a distribution puts in `database_specific` or `ecosystem_specific`. */
function fromSpecific(value: unknown): SeverityReading | undefined {
  const specific = record(value);
  if (!specific) return undefined;
  for (const [field, label] of [
    ['severity', 'severity'],
    ['ubuntu_priority', 'Ubuntu priority'],
    ['urgency', 'urgency'],
  ] as const) {
    const word = severityFromWord(specific[field]);
    if (word) return { severity: word, text: `${label} ${String(specific[field]).toLowerCase()}` };
  }
  return undefined;
}

/** The severity of one affected entry of a document: its own words first, then the document's. */
export function advisorySeverity(document: Record<string, unknown>, affected: Record<string, unknown>): SeverityReading | undefined {
  return (
    fromSpecific(affected['ecosystem_specific']) ??
    fromSpecific(affected['database_specific']) ??
    fromSpecific(document['database_specific']) ??
    fromSeverityList(affected['severity']) ??
    fromSeverityList(document['severity'])
  );
}
