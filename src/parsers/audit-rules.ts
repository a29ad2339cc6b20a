/**
 * Linux audit rules as `auditctl -l` prints them and as rule files hold them, reduced to the
 * paths they record. Pure, shared by the host collector (to look the paths up) and the
 * host rules (to decide whether a Docker file is audited).
 */

/** One path an audit rule records. */
export interface AuditedPath {
  /**
   * How the rule names it: a watch (`-w`), an exact path filter (`-F path=`), a subtree filter
   * (`-F dir=`). A watch on a directory records its whole subtree, like `dir=`.
   */
  kind: 'watch' | 'path' | 'dir';
  path: string;
  /** Access kinds recorded (`-p` / `-F perm=`): `rwxa` when the rule does not restrict them. */
  permissions: string;
}

const ALL_PERMISSIONS = 'rwxa';

function normalise(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed.replace(/\/{2,}/g, '/');
}

/**
 * The paths one rule line records; none for comments, control lines (`-D`, `-e 1`, `-b 8192`),
 * deletions (`-W`, `-d`) and exclusions (`-a never,exit`).
 */
export function auditedPaths(line: string): AuditedPath[] {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return [];
  const tokens = text.split(/\s+/);
  let watch: string | undefined;
  let permissions: string | undefined;
  let appended = false;
  const filters: { kind: 'path' | 'dir'; path: string }[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index] as string;
    const next = tokens[index + 1];
    if (token === '-W' || token === '-d') return [];
    if ((token === '-a' || token === '-A') && next !== undefined) {
      if (next.split(',').includes('never')) return [];
      appended = true;
      index += 1;
    } else if (token === '-w' && next !== undefined) {
      watch = next;
      index += 1;
    } else if (token === '-p' && next !== undefined) {
      permissions = next;
      index += 1;
    } else if (token === '-F' && next !== undefined) {
      const field = /^(path|dir|perm)=(.+)$/.exec(next);
      if (field?.[1] === 'perm') permissions = field[2];
      else if (field) filters.push({ kind: field[1] as 'path' | 'dir', path: field[2] as string });
      index += 1;
    }
  }
  const recorded = permissions ?? ALL_PERMISSIONS;
  if (watch !== undefined) return [{ kind: 'watch', path: normalise(watch), permissions: recorded }];
  if (!appended) return [];
  return filters.map((filter) => ({ kind: filter.kind, path: normalise(filter.path), permissions: recorded }));
}

/** Whether a rule records changes (writes or attribute changes), not only reads or executions. */
export function recordsChanges(rule: AuditedPath): boolean {
  return /[wa]/.test(rule.permissions);
}

/**
 * Whether a rule on `rulePath` records `target` (both resolved host paths): the same path,
 * or a directory above it for a watch or a `dir=` filter.
 */
export function ruleCovers(rule: AuditedPath, rulePath: string, target: string): boolean {
  if (rulePath === target) return true;
  if (rule.kind === 'path') return false;
  return rulePath === '/' || target.startsWith(`${rulePath}/`);
}
