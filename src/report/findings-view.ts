/**
 * What the CI formats (Markdown, GitHub annotations, GitLab Code Quality, Checkstyle) share: which
 * findings they report, how a finding's subject and place are named, and the sections' titles.
 */
import type { Finding } from '../engine/report.js';
import type { RuleFamily, Severity, Status } from '../rules/types.js';

/** The report's sections, in the benchmark's order. */
export const SECTION_TITLES: Readonly<Record<RuleFamily, string>> = {
  host: 'Host configuration',
  daemon: 'Docker daemon configuration',
  files: 'Docker daemon configuration files',
  image: 'Container images',
  container: 'Containers',
  inventory: 'Docker security operations',
  swarm: 'Docker Swarm',
  dockerfile: 'Dockerfiles',
  compose: 'Compose files',
};

export const STATUS_ORDER: readonly Status[] = ['error', 'fail', 'warn', 'manual', 'info', 'skipped', 'pass'];
export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Findings that ask for something to be done: failing, warning or in error, and not ignored. */
export function isActionable(finding: Finding): boolean {
  return finding.suppressed === undefined && (finding.status === 'fail' || finding.status === 'warn' || finding.status === 'error');
}

/** The subject as people call it: `container web`, `compose-service api`, or the daemon. */
export function subjectText(finding: Finding): string {
  const { subject } = finding;
  const name = subject.name ?? subject.id?.slice(0, 12) ?? subject.kind;
  return subject.kind === 'daemon' || subject.kind === 'host' ? name : `${subject.kind} ${name}`;
}

/** `file:line[:column]`, or undefined for a finding about a host, daemon or container. */
export function locationText(finding: Finding): string | undefined {
  const { location } = finding;
  if (location === undefined) return undefined;
  return `${location.file}:${location.line}${location.column ? `:${location.column}` : ''}`;
}

/**
 * A path-like name for a finding that has no file (a container, the daemon), for formats whose
 * every entry needs a path: `docker/<target or host>/<kind>/<name>`.
 */
export function pseudoPath(finding: Finding): string {
  const { subject } = finding;
  const name = subject.name ?? subject.id ?? subject.kind;
  return `docker/${finding.target ?? 'host'}/${subject.kind}/${name}`;
}

/** Stable order: status, then severity, then rule id, keeping the report's order within. */
export function byImportance(a: Finding, b: Finding): number {
  return STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
