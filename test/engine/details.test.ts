import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/engine/config.js';
import { packFindings, unpackFindings } from '../../src/engine/packed.js';
import { evaluateRules, runRules } from '../../src/engine/run.js';
import { formatHtml } from '../../src/report/html.js';
import { formatJson } from '../../src/report/json.js';
import { formatSarif } from '../../src/report/sarif.js';
import rule from '../../src/rules/image/DA461.js';
import type { AdvisoryDatabase } from '../../src/snapshot/advisories.js';
import { advisoryKey } from '../../src/snapshot/advisories.js';
import { layer, scannedImage, snapWithScans } from '../rules/image/scan-builder.js';

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n';
const STATUS = 'Package: libssl3\nStatus: install ok installed\nSource: openssl\nVersion: 3.0.11-1~deb12u2\n';

const advisories: AdvisoryDatabase = {
  sources: ['/db'],
  documents: 1,
  unreadable: { count: 0, examples: [] },
  ecosystems: { 'Debian:12': 1 },
  packages: {
    [advisoryKey('Debian:12', 'openssl')]: [
      {
        id: 'DSA-5700-1',
        aliases: ['CVE-2024-4741'],
        severity: 'high',
        ranges: [
          [
            { kind: 'introduced', version: '0' },
            { kind: 'fixed', version: '3.0.14-1~deb12u1' },
          ],
        ],
        versions: [],
      },
    ],
  },
};

function snapshot() {
  const images = ['a:1', 'b:1'].map((name) => scannedImage([layer({ texts: { 'etc/os-release': DEBIAN, 'var/lib/dpkg/status': STATUS } })], { names: [name] }));
  return snapWithScans(...images)
    .with((built) => {
      built.advisories = advisories;
    })
    .build();
}

const EXPECTED = {
  packageCount: 1,
  advisoryCount: 1,
  packagesNotListed: 0,
  packages: [
    {
      package: 'openssl',
      binaries: ['libssl3'],
      installed: '3.0.11-1~deb12u2',
      fixed: '3.0.14-1~deb12u1',
      severity: 'high',
      advisoryCount: 1,
      advisories: [{ id: 'DSA-5700-1', aliases: ['CVE-2024-4741'], severity: 'high', fixed: '3.0.14-1~deb12u1' }],
    },
  ],
};

describe("a finding's details", () => {
  it('reach the JSON report, the SARIF result properties and the HTML page', () => {
    const report = runRules(snapshot(), [rule], configSchema.parse({}), { toolVersion: 't' });
    const json = JSON.parse(formatJson(report)) as { findings: { subject: { name?: string }; details?: unknown }[] };
    expect(json.findings.find((finding) => finding.subject.name === 'a:1')?.details).toEqual(EXPECTED);
    const sarif = JSON.parse(formatSarif(report)) as { runs: { results: { properties: { details?: unknown } }[] }[] };
    expect(sarif.runs[0]?.results.map((result) => result.properties.details)).toEqual([EXPECTED, EXPECTED]);
    expect(formatHtml(report)).toContain('"details":{"packageCount":1');
  });

  it('cross threads packed, keys in the same order, on a suppressed finding too', () => {
    const config = configSchema.parse({ ignore: [{ rule: 'DA461', subject: 'b:1', reason: 'rebuilt tomorrow' }] });
    const { findings } = evaluateRules(snapshot(), [rule], config, { toolVersion: 't' });
    expect(findings.filter((finding) => finding.details !== undefined)).toHaveLength(2);
    expect(findings.some((finding) => finding.suppressed && finding.details)).toBe(true);
    const unpacked = unpackFindings(structuredClone(packFindings(findings)));
    expect(unpacked).toEqual(findings);
    expect(JSON.stringify(unpacked)).toBe(JSON.stringify(findings));
  });
});
