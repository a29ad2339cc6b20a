import { describe, expect, it } from 'vitest';
import { filesOnlySnapshot } from '../../src/collect/source-files-only.js';
import { configSchema } from '../../src/engine/config.js';
import { runRules } from '../../src/engine/run.js';
import { formatSarif } from '../../src/report/sarif.js';
import sudo from '../../src/rules/dockerfile/DA810.js';

interface SarifRun {
  tool: { driver: { rules: { id: string; helpUri?: string; fullDescription: { text: string } }[] } };
  results: { ruleId: string; partialFingerprints?: Record<string, string>; suppressions?: { kind: string; justification: string }[] }[];
}

const dockerfile = ['FROM debian:12', '# dockaudit ignore=DA810 the build needs it here', 'RUN sudo apt-get update', 'RUN sudo make install', 'RUN sudo true'].join('\n');
const snapshot = filesOnlySnapshot({
  files: [
    { path: 'app/Dockerfile', kind: 'dockerfile', content: dockerfile },
    { path: 'vendor/x/Dockerfile', kind: 'dockerfile', content: 'FROM debian:12\nRUN sudo true\n' },
  ],
});

describe('sarif for code scanning', () => {
  const report = runRules(snapshot, [sudo], configSchema.parse({ ignore: [{ rule: '*', path: 'vendor/*', reason: 'vendored' }] }), { toolVersion: 't' });

  it('carries each finding\'s fingerprint, the rule\'s rationale and its page', () => {
    const run = (JSON.parse(formatSarif(report, { rationales: new Map([['DA810', sudo.meta.rationale]]), ruleDocsUrl: 'https://example.org/docs/rules/' })) as { runs: SarifRun[] }).runs[0] as SarifRun;
    const rule = run.tool.driver.rules[0];
    expect(rule).toMatchObject({ id: 'DA810', helpUri: 'https://example.org/docs/rules/DA810.md', fullDescription: { text: sudo.meta.rationale } });
    const fingerprints = run.results.map((result) => result.partialFingerprints?.['dockaudit/v1']);
    expect(fingerprints).toEqual(report.findings.filter((finding) => finding.status === 'fail').map((finding) => finding.fingerprint));
    expect(new Set(fingerprints).size).toBe(4);
    // Without a docs address there is no helpUri, and the help names the page.
    const bare = (JSON.parse(formatSarif(report)) as { runs: SarifRun[] }).runs[0] as SarifRun;
    expect(bare.tool.driver.rules[0]?.helpUri).toBeUndefined();
  });

  it('writes a comment in the file as an inSource suppression and the config\'s ignore (rule "*" with a path) as external', () => {
    const run = (JSON.parse(formatSarif(report)) as { runs: SarifRun[] }).runs[0] as SarifRun;
    const failing = report.findings.filter((finding) => finding.status === 'fail');
    const kinds = run.results.map((result, index) => [failing[index]?.location?.file, failing[index]?.location?.line, result.suppressions?.[0]?.kind]);
    expect(kinds).toEqual([
      ['app/Dockerfile', 3, 'inSource'],
      ['app/Dockerfile', 4, undefined],
      ['app/Dockerfile', 5, undefined],
      ['vendor/x/Dockerfile', 2, 'external'],
    ]);
  });

  it('refuses an ignore entry for every rule that names no subject or path', () => {
    expect(configSchema.safeParse({ ignore: [{ rule: '*', reason: 'everything' }] }).success).toBe(false);
    expect(configSchema.safeParse({ ignore: [{ rule: '*', subject: 'legacy-*', reason: 'being retired' }] }).success).toBe(true);
  });
});
