/**
 * Findings packed into a few flat arrays, to cross from one thread to another. Copying 20,000
 * finding objects one by one costs the receiving thread several times what rebuilding them from
 * numbers and strings does: each rule's texts, each subject and each location travel once, and
 * a finding is seven numbers and its message.
 */
import type { Subject } from '../rules/types.js';
import type { SourceLocation } from '../views/workload.js';
import type { Finding } from './report.js';

/** What every finding of one rule repeats (the rules evaluated apart never split their references per finding). */
type RuleHead = Pick<Finding, 'ruleId' | 'alias' | 'title' | 'family' | 'references'> & { remediation?: string };

export interface PackedFindings {
  heads: RuleHead[];
  subjects: Subject[];
  locations: SourceLocation[];
  /** Statuses, severities and message ids. */
  texts: string[];
  /** FIELDS numbers per finding (see pack). */
  numbers: Int32Array;
  messages: string[];
  /** Index of the finding, reason, where the suppression was written. */
  suppressed: [number, string, 'inSource' | 'external' | undefined][];
  /** Index of the finding, how many findings it stands for (see Finding.notListed). */
  notListed: [number, number][];
  /** Index of the finding, its details (see Finding.details); few findings have any. */
  details: [number, NonNullable<Finding['details']>][];
}

const FIELDS = 7;

/** The index of `value` in `list`, added when new. */
function indexIn<T>(index: Map<T, number>, list: T[], value: T): number {
  let found = index.get(value);
  if (found === undefined) {
    found = list.length;
    list.push(value);
    index.set(value, found);
  }
  return found;
}

export function packFindings(findings: readonly Finding[]): PackedFindings {
  const packed: PackedFindings = { heads: [], subjects: [], locations: [], texts: [], numbers: new Int32Array(findings.length * FIELDS), messages: [], suppressed: [], notListed: [], details: [] };
  const heads = new Map<string, number>();
  const subjects = new Map<Subject, number>();
  const locations = new Map<SourceLocation, number>();
  const texts = new Map<string, number>();
  const numbers = packed.numbers;
  for (let index = 0; index < findings.length; index += 1) {
    const finding = findings[index] as Finding;
    let head = heads.get(finding.ruleId);
    if (head === undefined) {
      head = packed.heads.length;
      const { ruleId, alias, title, family, references } = finding;
      packed.heads.push({ ruleId, alias, title, family, references });
      heads.set(ruleId, head);
    }
    if (finding.remediation !== undefined) (packed.heads[head] as RuleHead).remediation = finding.remediation;
    const at = index * FIELDS;
    numbers[at] = head;
    numbers[at + 1] = indexIn(texts, packed.texts, finding.status);
    numbers[at + 2] = indexIn(texts, packed.texts, finding.severity);
    numbers[at + 3] = indexIn(subjects, packed.subjects, finding.subject);
    numbers[at + 4] = finding.location === undefined ? -1 : indexIn(locations, packed.locations, finding.location);
    numbers[at + 5] = indexIn(texts, packed.texts, finding.messageId);
    numbers[at + 6] = finding.remediation === undefined ? 0 : 1;
    packed.messages.push(finding.message);
    if (finding.suppressed) packed.suppressed.push([index, finding.suppressed.reason, finding.suppressed.kind]);
    if (finding.notListed !== undefined) packed.notListed.push([index, finding.notListed]);
    if (finding.details !== undefined) packed.details.push([index, finding.details]);
  }
  return packed;
}

/** The findings packFindings was given: equal, with their keys in the same order. */
export function unpackFindings(packed: PackedFindings): Finding[] {
  const { heads, subjects, locations, texts, numbers, messages } = packed;
  const findings: Finding[] = [];
  for (let index = 0; index < messages.length; index += 1) {
    const at = index * FIELDS;
    const head = heads[numbers[at] as number] as RuleHead;
    // Key by key in the order toFinding (engine/run.ts) assigns them: the JSON report shows that order.
    const finding = {
      ruleId: head.ruleId,
      alias: head.alias,
      title: head.title,
      family: head.family,
      status: texts[numbers[at + 1] as number],
      severity: texts[numbers[at + 2] as number],
      references: head.references,
      subject: subjects[numbers[at + 3] as number],
    } as Finding;
    const location = numbers[at + 4] as number;
    if (location >= 0) finding.location = locations[location] as SourceLocation;
    finding.message = messages[index] as string;
    finding.messageId = texts[numbers[at + 5] as number] as string;
    if (numbers[at + 6] === 1) finding.remediation = head.remediation as string;
    findings.push(finding);
  }
  // Before `suppressed`, as in toFinding (engine/run.ts), which sets it before the ignore list is applied.
  for (const [index, details] of packed.details) (findings[index] as Finding).details = details;
  for (const [index, reason, kind] of packed.suppressed) (findings[index] as Finding).suppressed = kind === undefined ? { reason } : { reason, kind };
  for (const [index, count] of packed.notListed) (findings[index] as Finding).notListed = count;
  return findings;
}
