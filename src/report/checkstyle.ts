/**
 * Checkstyle XML, read by many CI and review tools: one `<file>` per Dockerfile or Compose file
 * (a finding about a container or the daemon is filed under `docker/<target>/<kind>/<name>`),
 * one `<error>` per failing, warning or erroring finding. Control characters, which XML 1.0
 * cannot carry, are written as visible escapes first, as are U+FFFE, U+FFFF and unpaired
 * surrogates (one of them would make the whole file unreadable to an XML parser).
 */
import type { Finding, Report } from '../engine/report.js';
import { escapeControl } from '../escape.js';
import { byImportance, isActionable, pseudoPath, subjectText } from './findings-view.js';

/** What XML 1.0 cannot carry besides control characters: U+FFFE, U+FFFF and unpaired surrogates. */
const NOT_XML = /[\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text safe in an XML attribute value. */
export function escapeXmlAttribute(text: string): string {
  return escapeControl(text)
    .replace(NOT_XML, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function severity(finding: Finding): 'error' | 'warning' | 'info' {
  if (finding.status === 'error') return 'error';
  if (finding.status === 'fail') return finding.severity === 'low' || finding.severity === 'info' ? 'warning' : 'error';
  return finding.status === 'warn' ? 'warning' : 'info';
}

function entry(finding: Finding): string {
  const where = `${finding.target !== undefined ? `[${finding.target}] ` : ''}${subjectText(finding)}`;
  const position = finding.location !== undefined ? ` line="${finding.location.line}"${finding.location.column ? ` column="${finding.location.column}"` : ''}` : '';
  return `    <error${position} severity="${severity(finding)}" message="${escapeXmlAttribute(`${where}: ${finding.message}`)}" source="${escapeXmlAttribute(`dockaudit.${finding.ruleId}.${finding.alias}`)}"/>`;
}

export function formatCheckstyle(report: Report): string {
  const files = new Map<string, Finding[]>();
  for (const finding of report.findings.filter(isActionable).sort(byImportance)) {
    const path = finding.location?.file ?? pseudoPath(finding);
    const list = files.get(path);
    if (list) list.push(finding);
    else files.set(path, [finding]);
  }
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<checkstyle version="4.3">'];
  for (const [path, findings] of files) {
    lines.push(`  <file name="${escapeXmlAttribute(path)}">`, ...findings.map(entry), '  </file>');
  }
  lines.push('</checkstyle>', '');
  return lines.join('\n');
}
