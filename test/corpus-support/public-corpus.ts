/**
 * The public corpus (test/corpus/): Dockerfiles and Compose files from public repositories,
 * labelled inline with what each file really does. Reads the labels, and scores findings
 * against them per rule family. Shared by test/rules/public-corpus.test.ts; bench/corpus.mjs
 * scores the built CLI's output the same way.
 *
 * Labels, as the fixtures write them:
 * - Dockerfiles: `# expect: DA802, DA814` names the findings on the next instruction (the next
 *   line that is neither blank nor a comment), `# expect-file: DA801` those without a location.
 * - Compose files: `# expect: DA505 DA511` after a key is about that line; alone on a line it is
 *   about the next line that is neither blank nor a comment.
 * Every finding a label does not name is a false alarm, and every label without its finding a
 * miss: silence is expected wherever no label says otherwise.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CORPUS = join(ROOT, 'test', 'corpus');

/** Statuses a label is about: those a person has to act on. `pass`, `info` and `skipped` are silence. */
export const REPORTED: ReadonlySet<string> = new Set(['fail', 'warn', 'manual', 'error']);

/** The families the corpus is labelled for. */
export const FAMILIES = ['dockerfile', 'container', 'compose'] as const;

const DOCKERFILE = /^(Dockerfile(\..+)?|.+\.Dockerfile|Containerfile)$/;
const COMPOSE = /\.ya?ml$/;

/** The corpus's labelled files, relative to the repository root with `/`. */
export function corpusFiles(): { dockerfiles: string[]; compose: string[] } {
  const dockerfiles: string[] = [];
  const compose: string[] = [];
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory).sort()) {
      const path = join(directory, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (DOCKERFILE.test(entry)) dockerfiles.push(relative(ROOT, path).split(sep).join('/'));
      else if (COMPOSE.test(entry)) compose.push(relative(ROOT, path).split(sep).join('/'));
    }
  };
  walk(CORPUS);
  return { dockerfiles, compose };
}

function nextContentLine(lines: string[], from: number): number {
  let target = from;
  while (target < lines.length && (lines[target]?.trim() === '' || lines[target]?.trim().startsWith('#'))) target += 1;
  return target + 1;
}

/** `file:line RULE` (or `file:file RULE`) for every label of a file. */
export function labelsOf(path: string): string[] {
  const lines = readFileSync(join(ROOT, path), 'utf8').split(/\r?\n/);
  const labels: string[] = [];
  const dockerfile = DOCKERFILE.test(path.slice(path.lastIndexOf('/') + 1));
  lines.forEach((text, index) => {
    if (dockerfile) {
      const match = /^\s*#\s*expect(-file)?:\s*(.*)$/.exec(text);
      if (!match) return;
      const target = match[1] === '-file' ? 'file' : String(nextContentLine(lines, index + 1));
      for (const rule of (match[2] ?? '').split(/[\s,]+/).filter(Boolean)) labels.push(`${path}:${target} ${rule}`);
      return;
    }
    const match = /#\s*expect:\s*([A-Z0-9][A-Z0-9,\s]*)$/.exec(text);
    if (!match) return;
    const target = text.trim().startsWith('#') ? nextContentLine(lines, index + 1) : index + 1;
    for (const rule of (match[1] ?? '').split(/[\s,]+/).filter(Boolean)) labels.push(`${path}:${target} ${rule}`);
  });
  return labels;
}

export interface CorpusFinding {
  ruleId: string;
  family: string;
  status: string;
  subject: { name?: string };
  location?: { file: string; line: number };
}

/**
 * `file:line RULE` of the reported findings about corpus files: Dockerfile findings by their
 * file (`file:file` when they have no line), the others by where they are located.
 */
export function reportedOf(findings: readonly CorpusFinding[]): string[] {
  const keys: string[] = [];
  for (const finding of findings) {
    if (!REPORTED.has(finding.status) || !(FAMILIES as readonly string[]).includes(finding.family)) continue;
    const file = finding.family === 'dockerfile' ? (finding.subject.name ?? '') : (finding.location?.file ?? '');
    if (!file.startsWith('test/corpus/')) continue;
    keys.push(`${file}:${finding.location?.line ?? 'file'} ${finding.ruleId}`);
  }
  return keys;
}

export interface Tally {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

export interface Score {
  byFamily: Map<string, Tally>;
  misses: string[];
  falseAlarms: string[];
}

/** Multiset difference: items of `a` not matched in `b`. */
function missingFrom(a: readonly string[], b: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const item of b) left.set(item, (left.get(item) ?? 0) + 1);
  return a.filter((item) => {
    const count = left.get(item) ?? 0;
    if (count === 0) return true;
    left.set(item, count - 1);
    return false;
  });
}

/** The family of a rule id: DA8xx dockerfile, DA9xx compose, DA5xx container. */
export function familyOf(ruleId: string): string {
  if (ruleId.startsWith('DA8')) return 'dockerfile';
  if (ruleId.startsWith('DA9')) return 'compose';
  return 'container';
}

export function score(labels: readonly string[], reported: readonly string[]): Score {
  const byFamily = new Map<string, Tally>(FAMILIES.map((family) => [family, { truePositives: 0, falsePositives: 0, falseNegatives: 0 }]));
  const misses = missingFrom(labels, reported);
  const falseAlarms = missingFrom(reported, labels);
  const tally = (key: string): Tally => byFamily.get(familyOf(key.slice(key.lastIndexOf(' ') + 1))) as Tally;
  for (const key of missingFrom(labels, misses)) tally(key).truePositives += 1;
  for (const key of misses) tally(key).falseNegatives += 1;
  for (const key of falseAlarms) tally(key).falsePositives += 1;
  return { byFamily, misses, falseAlarms };
}

export function precision(tally: Tally): number {
  const found = tally.truePositives + tally.falsePositives;
  return found === 0 ? 1 : tally.truePositives / found;
}

export function recall(tally: Tally): number {
  const expected = tally.truePositives + tally.falseNegatives;
  return expected === 0 ? 1 : tally.truePositives / expected;
}
