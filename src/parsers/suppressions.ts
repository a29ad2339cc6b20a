/**
 * Inline suppressions in files with `#` comments (Dockerfiles, Compose YAML, .env):
 *
 *   # dockaudit ignore=DA810,dockerfile-sudo the build needs it, see TICKET-12
 *   RUN sudo make install
 *
 *   # dockaudit ignore-file=DA805 base images are pinned by the release pipeline
 *
 * `ignore=` applies to the next line that is neither blank nor a comment (the instruction or
 * key the findings point at); `ignore-file=` to the whole file. In Dockerfiles, hadolint's
 * `# hadolint ignore=DL3004` and `# hadolint global ignore=...` apply the same way to the rules
 * that mean the same (hadolint.ts). A reason is required: a
 * directive without one is reported as a problem and not applied.
 */
import type { SourceFile } from '../snapshot/files.js';
import { hadolintIgnore } from './hadolint.js';
import type { Snapshot } from '../snapshot/types.js';

export interface Suppression {
  /** 1-based line of the comment. */
  line: number;
  /** Rule ids or aliases, as written. */
  rules: string[];
  reason: string;
  scope: 'next-line' | 'file';
  /** For `next-line`: the 1-based line it applies to; undefined when nothing follows. */
  target?: number;
}

export interface SuppressionProblem {
  line: number;
  message: string;
  /** The line the directive meant to cover (next line that is neither blank nor a comment). */
  target?: number;
}

const DIRECTIVE = /^\s*#\s*dockaudit\b(.*)$/;

/** 1-based number of the first line after `index` that is neither blank nor a comment. */
function nextContentLine(lines: readonly string[], index: number): number | undefined {
  for (let next = index + 1; next < lines.length; next += 1) {
    const candidate = (lines[next] ?? '').trim();
    if (candidate !== '' && !candidate.startsWith('#')) return next + 1;
  }
  return undefined;
}
/** `ignore=<rules> <reason>`; the rule list may have blanks after its commas. */
const FORM = /^\s+(ignore|ignore-file)\s*=\s*([^\s,]*(?:\s*,\s*[^\s,]+)*)\s*(.*)$/;

/** Every directive of the content, valid or not. */
export function parseSuppressions(content: string, options: { hadolint?: boolean } = {}): { suppressions: Suppression[]; problems: SuppressionProblem[] } {
  const hadolint = options.hadolint === true && content.includes('hadolint');
  if (!content.includes('dockaudit') && !hadolint) return { suppressions: [], problems: [] };
  const lines = content.split(/\r?\n/);
  const suppressions: Suppression[] = [];
  const problems: SuppressionProblem[] = [];
  lines.forEach((text, index) => {
    const directive = DIRECTIVE.exec(text);
    if (!directive) {
      if (hadolint) hadolintSuppression(lines, index, suppressions);
      return;
    }
    const line = index + 1;
    const target = nextContentLine(lines, index);
    const problem = (message: string): void => {
      problems.push({ line, message, ...(target !== undefined ? { target } : {}) });
    };
    const form = FORM.exec(directive[1] ?? '');
    if (!form) {
      problem('not a dockaudit directive: expected "# dockaudit ignore=<rule>[,<rule>...] <reason>" or "ignore-file="');
      return;
    }
    const rules = (form[2] ?? '').split(',').map((rule) => rule.trim()).filter(Boolean);
    const reason = (form[3] ?? '').trim();
    if (rules.length === 0) {
      problem(`"# dockaudit ${form[1]}=" names no rule`);
      return;
    }
    if (reason === '') {
      problem(`"# dockaudit ${form[1]}=${rules.join(',')}" gives no reason, so it is not applied`);
      return;
    }
    if (form[1] === 'ignore-file') {
      suppressions.push({ line, rules, reason, scope: 'file' });
      return;
    }
    suppressions.push({ line, rules, reason, scope: 'next-line', ...(target !== undefined ? { target } : {}) });
  });
  return { suppressions, problems };
}

/**
 * A hadolint ignore on line `index`, as the suppression of the dockaudit rules that mean the
 * same (see hadolint.ts); hadolint asks for no reason, so the pragma is the reason.
 */
function hadolintSuppression(lines: readonly string[], index: number, suppressions: Suppression[]): void {
  const pragma = hadolintIgnore(lines[index] ?? '');
  if (pragma === undefined || pragma.rules.length === 0) return;
  const reason = `hadolint ${pragma.global ? 'global ' : ''}ignore=${pragma.codes.join(',')}`;
  if (pragma.global) {
    suppressions.push({ line: index + 1, rules: pragma.rules, reason, scope: 'file' });
    return;
  }
  const target = nextContentLine(lines, index);
  suppressions.push({ line: index + 1, rules: pragma.rules, reason, scope: 'next-line', ...(target !== undefined ? { target } : {}) });
}

/** The suppressions that apply (with a rule and a reason). */
export function suppressionsOf(content: string): Suppression[] {
  return parseSuppressions(content).suppressions;
}

const byFile = new WeakMap<SourceFile, ReturnType<typeof parseSuppressions>>();

/** Every directive of a source file, valid or not; parsed once per file. */
export function fileDirectives(file: SourceFile): { suppressions: Suppression[]; problems: SuppressionProblem[] } {
  let found = byFile.get(file);
  if (found === undefined) {
    // hadolint's pragmas are Dockerfile comments: only a Dockerfile's are read.
    found = file.content === undefined || file.skipped !== undefined ? { suppressions: [], problems: [] } : parseSuppressions(file.content, { hadolint: file.kind === 'dockerfile' });
    byFile.set(file, found);
  }
  return found;
}

/** The suppressions of a snapshot's source files, by path; only files that have some are listed. */
export type SuppressionIndex = ReadonlyMap<string, Suppression[]>;

const indexBySnapshot = new WeakMap<Snapshot, SuppressionIndex>();

/** The snapshot's inline suppressions, by file: one lookup table per snapshot, often empty. */
export function suppressionIndex(snapshot: Snapshot): SuppressionIndex {
  let index = indexBySnapshot.get(snapshot);
  if (index === undefined) {
    const byPath = new Map<string, Suppression[]>();
    for (const file of snapshot.files?.files ?? []) {
      const { suppressions } = fileDirectives(file);
      if (suppressions.length > 0) byPath.set(file.path, suppressions);
    }
    index = byPath;
    indexBySnapshot.set(snapshot, index);
  }
  return index;
}

/**
 * The inline suppression covering a finding of `rule` (its id and alias) at `location`, when the
 * location's file is one of the snapshot's source files. `index` is the snapshot's
 * `suppressionIndex`, for callers that look up many findings.
 */
export function inlineSuppression(
  snapshot: Snapshot,
  rule: { id: string; alias: string },
  location: { file: string; line: number } | undefined,
  index: SuppressionIndex = suppressionIndex(snapshot),
): Suppression | undefined {
  if (location === undefined || index.size === 0) return undefined;
  const suppressions = index.get(location.file);
  if (suppressions === undefined) return undefined;
  const names = [rule.id.toLowerCase(), rule.alias.toLowerCase()];
  return suppressions.find(
    (suppression) =>
      suppression.rules.some((name) => names.includes(name.toLowerCase())) &&
      (suppression.scope === 'file' || suppression.target === location.line),
  );
}
