/**
 * JUnit XML for CI dashboards: one test suite per rule family, one test case per finding.
 */
import type { Finding, Report } from '../engine/report.js';

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
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

export function formatJunit(report: Report): string {
  const families = [...new Set(report.findings.map((finding) => finding.family))];
  const suites = families.map((family) => {
    const findings = report.findings.filter((finding) => finding.family === family);
    const count = (predicate: (finding: Finding) => boolean): number => findings.filter(predicate).length;
    const failures = count((finding) => finding.status === 'fail' && !finding.suppressed);
    const errors = count((finding) => finding.status === 'error' && !finding.suppressed);
    const skipped = count((finding) => finding.suppressed !== undefined || finding.status === 'skipped' || finding.status === 'manual');
    return [
      `  <testsuite name="dockaudit.${family}" tests="${findings.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
      ...findings.map(testCase),
      '  </testsuite>',
    ].join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="dockaudit" tests="${report.findings.length}">\n${suites.join('\n')}\n</testsuites>\n`;
}
