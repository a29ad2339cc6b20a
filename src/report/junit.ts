/**
 * JUnit XML for CI dashboards: one test suite per rule family, one test case per finding; in a
 * report of several daemons, one suite per daemon, and the files' suites by family.
 */
import type { Finding, Report } from '../engine/report.js';

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    // Nor U+FFFE, U+FFFF or an unpaired surrogate: one of them makes the whole file unreadable XML.
    .replace(/[\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function testCase(finding: Finding): string {
  const name = escapeXml(`${finding.ruleId} ${finding.subject.kind} ${finding.subject.name ?? finding.subject.id ?? ''}`.trim());
  const open = `    <testcase classname="${escapeXml(`dockaudit.${finding.family}.${finding.ruleId}`)}" name="${name}">`;
  const message = escapeXml(finding.message);
  if (finding.suppressed) return `${open}<skipped message="ignored: ${escapeXml(finding.suppressed.reason)}"/></testcase>`;
  switch (finding.status) {
    case 'fail':
      return `${open}<failure type="${finding.severity}" message="${message}">${escapeXml(finding.remediation ?? '')}</failure></testcase>`;
    case 'error':
      return `${open}<error message="${message}"/></testcase>`;
    case 'skipped':
    case 'manual':
      return `${open}<skipped message="${finding.status}: ${message}"/></testcase>`;
    default:
      return `${open}<system-out>${finding.status}: ${message}</system-out></testcase>`;
  }
}

/** One suite: its findings counted by outcome. */
function suite(name: string, findings: Finding[]): string {
  const count = (predicate: (finding: Finding) => boolean): number => findings.filter(predicate).length;
  const failures = count((finding) => finding.status === 'fail' && !finding.suppressed);
  const errors = count((finding) => finding.status === 'error' && !finding.suppressed);
  const skipped = count((finding) => finding.suppressed !== undefined || finding.status === 'skipped' || finding.status === 'manual');
  return [
    `  <testsuite name="${escapeXml(name)}" tests="${findings.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    ...findings.map(testCase),
    '  </testsuite>',
  ].join('\n');
}

/** Suites by family: the whole report of one daemon, or the files of a report of several. */
function familySuites(findings: Finding[]): string[] {
  const families = [...new Set(findings.map((finding) => finding.family))];
  return families.map((family) => suite(`dockaudit.${family}`, findings.filter((finding) => finding.family === family)));
}

export function formatJunit(report: Report): string {
  let suites: string[];
  if (report.targets === undefined) {
    suites = familySuites(report.findings);
  } else {
    // One suite per daemon (its family stays in each test case's class name), then the files.
    suites = report.targets.map((target) => {
      const label = target.label ?? target.context ?? target.address;
      return suite(`dockaudit target ${label}`, report.findings.filter((finding) => finding.target === label));
    });
    suites.push(...familySuites(report.findings.filter((finding) => finding.target === undefined)));
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="dockaudit" tests="${report.findings.length}">\n${suites.join('\n')}\n</testsuites>\n`;
}
