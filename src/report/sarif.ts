/**
 * SARIF 2.1.0 for code-scanning dashboards: failing, warning and manual findings as results. In a
 * report of several daemons, the run's properties list them and each result names its own (in its
 * properties, its message and its logical location's qualified name).
 */
import type { Finding, Report } from '../engine/report.js';
import type { Severity } from '../rules/types.js';

const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

function level(finding: Finding): 'error' | 'warning' | 'note' {
  if (finding.status === 'fail' || finding.status === 'error') return finding.severity === 'low' || finding.severity === 'info' ? 'warning' : 'error';
  if (finding.status === 'warn') return 'warning';
  return 'note';
}

/**
 * A file's path as a URI reference (SARIF 2.1.0, 3.4.3): each segment percent-encoded, so a
 * space, `#`, `?` or `%` in a name is not read as URI syntax, and a `:` in the first segment is
 * not taken for a scheme. A relative path stays relative (to the directory the audit ran in); an
 * absolute one becomes a `file://` URI.
 */
export function artifactUri(path: string): string {
  const encoded = path.split('/').map((segment) => encodeURIComponent(segment)).join('/');
  return path.startsWith('/') ? `file://${encoded}` : encoded;
}

function locationOf(finding: Finding): Record<string, unknown> {
  if (finding.location) {
    return {
      physicalLocation: {
        artifactLocation: { uri: artifactUri(finding.location.file) },
        region: { startLine: finding.location.line, ...(finding.location.column ? { startColumn: finding.location.column } : {}) },
      },
    };
  }
  const name = finding.subject.name ?? finding.subject.id ?? finding.subject.kind;
  if (finding.target !== undefined) {
    // The daemon comes first in the qualified name: the same container name on two hosts is two places.
    return { logicalLocations: [{ name, kind: finding.subject.kind, fullyQualifiedName: `${finding.target}/${finding.subject.kind}/${finding.subject.id ?? name}` }] };
  }
  return { logicalLocations: [{ name, kind: finding.subject.kind, ...(finding.subject.id ? { fullyQualifiedName: finding.subject.id } : {}) }] };
}

export interface SarifOptions {
  /** Each rule's rationale, by id, for `fullDescription`; rules not in it get their title. */
  rationales?: ReadonlyMap<string, string>;
  /**
   * Where the rule pages are: `<base>/<ID>.md` becomes each rule's `helpUri` (see README, SARIF).
   * Absent: no `helpUri`, and `help` names docs/rules/<ID>.md of the package.
   */
  ruleDocsUrl?: string;
}

/** The fingerprint scheme as SARIF's partialFingerprints key: a consumer compares values of one key only. */
function fingerprintKey(report: Report): string {
  return `dockaudit/v${report.fingerprintScheme ?? 1}`;
}

export function formatSarif(report: Report, options: SarifOptions = {}): string {
  const docsBase = options.ruleDocsUrl?.replace(/\/+$/, '');
  const reported = report.findings.filter((finding) => ['fail', 'warn', 'manual', 'error'].includes(finding.status));
  const rules = new Map<string, Finding>();
  for (const finding of report.findings) if (!rules.has(finding.ruleId)) rules.set(finding.ruleId, finding);
  const ruleIndex = new Map([...rules.keys()].map((id, index) => [id, index]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        ...(report.targets !== undefined ? { properties: { targets: report.targets } } : {}),
        tool: {
          driver: {
            name: 'dockaudit',
            version: report.tool.version,
            rules: [...rules.values()].map((finding) => ({
              id: finding.ruleId,
              name: finding.alias,
              shortDescription: { text: finding.title },
              fullDescription: { text: options.rationales?.get(finding.ruleId) ?? finding.title },
              ...(docsBase !== undefined ? { helpUri: `${docsBase}/${finding.ruleId}.md` } : {}),
              help: { text: `${finding.remediation ?? finding.title} (docs/rules/${finding.ruleId}.md)` },
              properties: {
                'security-severity': SECURITY_SEVERITY[finding.severity],
                tags: ['security', ...finding.references.cis.map((cis) => `CIS-${cis}`), ...finding.references.checklist],
              },
            })),
          },
        },
        results: reported.map((finding) => ({
          ruleId: finding.ruleId,
          ruleIndex: ruleIndex.get(finding.ruleId),
          level: level(finding),
          message: { text: `${finding.target !== undefined ? `[${finding.target}] ` : ''}${finding.subject.name ?? finding.subject.kind}: ${finding.message}` },
          locations: [locationOf(finding)],
          ...(finding.fingerprint !== undefined ? { partialFingerprints: { [fingerprintKey(report)]: finding.fingerprint } } : {}),
          properties: {
            status: finding.status,
            severity: finding.severity,
            subject: finding.subject,
            ...(finding.target !== undefined ? { target: finding.target } : {}),
            ...(finding.baseline !== undefined ? { baseline: finding.baseline } : {}),
            ...(finding.details !== undefined ? { details: finding.details } : {}),
          },
          // A comment in the file is `inSource` (SARIF 2.1.0, 3.35.2); the config's ignore list is `external`.
          ...(finding.suppressed ? { suppressions: [{ kind: finding.suppressed.kind ?? 'external', justification: finding.suppressed.reason }] } : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
