import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/engine/report.js';
import { formatJson, jsonPieces } from '../../src/report/json.js';

function reportWith(count: number): Report {
  const finding = (index: number): Finding => ({
    ruleId: 'DA505',
    alias: 'container-privileged',
    title: 'Containers are not privileged',
    family: 'container',
    status: index % 2 === 0 ? 'fail' : 'pass',
    severity: 'critical',
    references: { cis: ['5.5'], checklist: [] },
    subject: { kind: 'compose-service', name: `s${index}` },
    location: { file: 'compose.yaml', line: index + 2, column: 3 },
    message: `service s${index} "quoted" \u001b`,
    messageId: 'privileged',
  });
  return {
    schemaVersion: 1,
    tool: { name: 'dockaudit', version: 't' },
    target: { dockerHost: 'none', hostname: 'h', collectedAt: 'now' },
    summary: { total: count, byStatus: { pass: 0, fail: 0, warn: 0, info: 0, manual: 0, skipped: 0, error: 0 }, failuresBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, suppressed: 0, rules: 1 },
    findings: Array.from({ length: count }, (_, index) => finding(index)),
    problems: [{ scope: 'host', reason: 'r' }],
  };
}

describe('JSON report in pieces', () => {
  it('is byte for byte what JSON.stringify writes, with no findings, a few, or many pieces of them', () => {
    for (const count of [0, 1, 999, 1000, 1001, 2500]) {
      const report = reportWith(count);
      expect(formatJson(report), String(count)).toBe(`${JSON.stringify(report)}\n`);
    }
  });

  it('holds no piece larger than a thousand findings', () => {
    const report = reportWith(5000);
    const pieces = [...jsonPieces(report)];
    const longest = Math.max(...pieces.map((piece) => piece.length));
    // Five pieces of findings, each about a fifth of the whole.
    expect(longest).toBeLessThan(pieces.join('').length / 4);
  });
});
