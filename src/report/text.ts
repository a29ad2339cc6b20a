/**
 * Text for people: grouped by section, worst first, a summary line. Every string that comes from
 * the audited host or files (names, messages, paths, problems, the header) goes through
 * `escapeControl`, so the only control characters in the output are the formatter's own colours.
 */
import { createColors } from 'picocolors';
import type { Finding, Report } from '../engine/report.js';
import type { RuleFamily, Severity, Status } from '../rules/types.js';
import { escapeControl } from '../escape.js';
import { baselineLines, benchmarkLines } from './benchmark-text.js';

export interface TextOptions {
  color: boolean;
  /** Also list passing findings. */
  showPassed: boolean;
}

const SECTIONS: { family: RuleFamily; title: string }[] = [
  { family: 'host', title: 'Host configuration' },
  { family: 'daemon', title: 'Docker daemon configuration' },
  { family: 'files', title: 'Docker daemon configuration files' },
  { family: 'image', title: 'Container images' },
  { family: 'container', title: 'Containers' },
  { family: 'inventory', title: 'Docker security operations' },
  { family: 'swarm', title: 'Docker Swarm' },
  { family: 'dockerfile', title: 'Dockerfiles' },
  { family: 'compose', title: 'Compose files' },
];

function subjectLabel(finding: Finding): string {
  const { subject, location } = finding;
  const name = subject.name ?? subject.id?.slice(0, 12) ?? subject.kind;
  const where = location ? ` (${escapeControl(location.file)}:${location.line}${location.column ? `:${location.column}` : ''})` : '';
  return `${subject.kind === 'daemon' || subject.kind === 'host' ? '' : `${subject.kind} `}${escapeControl(name)}${where}`;
}

export function formatText(report: Report, options: TextOptions): string {
  const c = createColors(options.color);
  const statusColor: Record<Status, (text: string) => string> = {
    error: (text) => c.bold(c.magenta(text)),
    fail: (text) => c.bold(c.red(text)),
    warn: c.yellow,
    manual: c.cyan,
    info: c.blue,
    skipped: c.dim,
    pass: c.green,
  };
  const severityColor: Record<Severity, (text: string) => string> = {
    critical: (text) => c.bold(c.red(text)),
    high: c.red,
    medium: c.yellow,
    low: c.white,
    info: c.dim,
  };
  const lines: string[] = [];
  const { target } = report;
  const problemLines = (problems: Report['problems']): void => {
    if (problems.length === 0) return;
    lines.push(c.yellow('Not visible to this audit:'));
    for (const problem of problems) {
      lines.push(c.yellow(`  - ${escapeControl(`${problem.scope}${problem.subject ? ` ${problem.subject}` : ''}: ${problem.reason}`)}`));
    }
  };
  const sectionLines = (all: Finding[]): void => {
    // With a benchmark view, the report is told per control instead (benchmarkLines, below).
    if (report.benchmark !== undefined) return;
    for (const section of SECTIONS) {
      const inSection = all.filter((finding) => finding.family === section.family);
      if (inSection.length === 0) continue;
      const findings = inSection.filter((finding) => options.showPassed || finding.status !== 'pass');
      lines.push('', c.bold(c.underline(section.title)));
      if (findings.length === 0) lines.push(c.green('  every check passed'));
      const groups = new Map<string, Finding[]>();
      for (const finding of findings) {
        const key = `${finding.ruleId}\u0000${finding.status}\u0000${finding.severity}\u0000${finding.suppressed ? 'ignored' : ''}`;
        const group = groups.get(key);
        if (group) group.push(finding);
        else groups.set(key, [finding]);
      }
      for (const group of groups.values()) {
        const first = group[0] as Finding;
        const status = statusColor[first.status](first.status.toUpperCase().padEnd(7));
        const severity = severityColor[first.severity](first.severity.padEnd(8));
        const cis = first.references.cis.length > 0 ? c.dim(` [CIS ${first.references.cis.join(', ')}]`) : '';
        const count = group.length > 1 ? c.dim(` (${group.length})`) : '';
        lines.push(`  ${status} ${severity} ${c.bold(first.ruleId)} ${escapeControl(first.title)}${cis}${count}`);
        for (const finding of group) {
          const suppressed = finding.suppressed ? c.dim(` (ignored: ${escapeControl(finding.suppressed.reason)})`) : '';
          const fresh = finding.baseline === 'new' ? c.bold(' [new]') : '';
          lines.push(`          ${subjectLabel(finding)}: ${escapeControl(finding.message)}${suppressed}${fresh}`);
        }
        if (first.remediation && !first.suppressed && first.status === 'fail') lines.push(c.dim(`          fix: ${escapeControl(first.remediation)}`));
      }
    }
  };
  if (report.targets === undefined) {
    lines.push(
      c.bold(`dockaudit ${escapeControl(report.tool.version)}`) +
        escapeControl(
          ` · ${target.dockerHost}` +
            (target.daemonVersion ? ` · Docker ${target.daemonVersion}` : '') +
            ` · host ${target.hostname} · ${target.collectedAt}`,
        ),
    );
    problemLines(report.problems);
    sectionLines(report.findings);
  } else {
    lines.push(c.bold(`dockaudit ${escapeControl(report.tool.version)}`) + escapeControl(` · ${report.targets.length} targets · ${target.collectedAt}`));
    // One heading per target, in the order they were given; then the files, judged once.
    const byTarget = new Map<string, Finding[]>();
    const files: Finding[] = [];
    for (const finding of report.findings) {
      if (finding.target === undefined) {
        files.push(finding);
        continue;
      }
      const found = byTarget.get(finding.target);
      if (found) found.push(finding);
      else byTarget.set(finding.target, [finding]);
    }
    for (const entry of report.targets) {
      const label = entry.label ?? entry.context ?? entry.address;
      const about = [...(entry.context !== undefined || entry.label !== undefined ? [entry.address] : []), ...(entry.reachable ? [...(entry.version !== '' ? [`Docker ${entry.version}`] : []), entry.name] : [`not audited: ${entry.reason}`])];
      const heading = c.bold(c.inverse(`Target ${escapeControl(label)}`));
      lines.push('', `${heading}${escapeControl(` · ${about.join(' · ')}`)}`);
      problemLines(report.problems.filter((problem) => problem.target === label));
      sectionLines(byTarget.get(label) ?? []);
    }
    if (files.length > 0) {
      lines.push('', c.bold(c.inverse('Files')));
      problemLines(report.problems.filter((problem) => problem.target === undefined));
      sectionLines(files);
    }
  }
  lines.push(...benchmarkLines(report, c, options.showPassed), ...baselineLines(report, c));
  lines.push('', summaryLine(report, c));
  return `${lines.join('\n')}\n`;
}

/** The last line of a text report: rules, findings by status, failing ones by severity, ignored ones. */
export function summaryLine(report: Report, c: ReturnType<typeof createColors>): string {
  const { summary } = report;
  const failing = (['critical', 'high', 'medium', 'low', 'info'] as const)
    .filter((severity) => summary.failuresBySeverity[severity] > 0)
    .map((severity) => `${summary.failuresBySeverity[severity]} ${severity}`);
  const counts = (['fail', 'warn', 'manual', 'info', 'skipped', 'error', 'pass'] as const)
    .filter((status) => summary.byStatus[status] > 0)
    .map((status) => `${summary.byStatus[status]} ${status}`);
  return c.bold(
    `${summary.rules} rules, ${summary.total} findings: ${counts.join(', ') || 'none'}` +
      (failing.length > 0 ? ` — failing: ${failing.join(', ')}` : '') +
      (summary.suppressed > 0 ? ` — ${summary.suppressed} ignored` : ''),
  );
}
