/**
 * JSON: the machine contract. Every evaluated (rule, subject) pair, passes included.
 */
import type { Report } from '../engine/report.js';

export function formatJson(report: Report): string {
  const findings = report.findings.map((finding) => ({
    ruleId: finding.ruleId,
    alias: finding.alias,
    title: finding.title,
    status: finding.status,
    severity: finding.severity,
    references: finding.references,
    subject: finding.subject,
    ...(finding.location ? { location: finding.location } : {}),
    message: finding.message,
    messageId: finding.messageId,
    ...(finding.remediation ? { remediation: finding.remediation } : {}),
    ...(finding.suppressed ? { suppressed: finding.suppressed } : {}),
  }));
  return `${JSON.stringify({ ...report, findings }, null, 2)}\n`;
}
