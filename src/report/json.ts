/**
 * JSON: the machine contract. Every evaluated (rule, subject) pair, passes included.
 *
 * Compact: a host with hundreds of containers yields tens of thousands of findings, and
 * indentation would cost a third more bytes and twice the time. Pipe it through `jq` to read it.
 */
import type { Report } from '../engine/report.js';

export function formatJson(report: Report): string {
  return `${JSON.stringify(report)}\n`;
}
