import { describe, expect, it } from 'vitest';
import { filesOnlySnapshot } from '../../src/collect/source-files-only.js';
import { configSchema } from '../../src/engine/config.js';
import { mergeReports, runRules } from '../../src/engine/run.js';
import type { Finding } from '../../src/engine/report.js';
import sudo from '../../src/rules/dockerfile/DA810.js';
import secrets from '../../src/rules/dockerfile/DA807.js';
import privileged from '../../src/rules/container/DA505.js';
import { snap } from '../helpers/builder.js';

function lintFindings(content: string, path = 'Dockerfile'): Finding[] {
  const snapshot = filesOnlySnapshot({ files: [{ path, kind: 'dockerfile', content }] });
  return runRules(snapshot, [sudo, secrets], configSchema.parse({}), { toolVersion: 't' }).findings;
}

const failing = (findings: Finding[]): Finding[] => findings.filter((finding) => finding.status === 'fail');

describe('fingerprints', () => {
  it('survive lines added above the finding, and change when its line changes', () => {
    const before = failing(lintFindings('FROM debian:12\nRUN sudo make install\n'));
    const shifted = failing(lintFindings('FROM debian:12\n# a comment\n\nRUN sudo make install\n'));
    const edited = failing(lintFindings('FROM debian:12\nRUN sudo make install-strip\n'));
    expect(before.map((finding) => [finding.ruleId, finding.location?.line])).toEqual([['DA810', 2]]);
    expect(shifted[0]?.location?.line).toBe(4);
    expect(shifted[0]?.fingerprint).toBe(before[0]?.fingerprint);
    expect(edited[0]?.fingerprint).not.toBe(before[0]?.fingerprint);
    expect(before[0]?.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('tell identical lines apart by their order, and the same line in two files apart', () => {
    const twice = failing(lintFindings('FROM debian:12\nRUN sudo true\nRUN sudo true\n'));
    expect(twice).toHaveLength(2);
    expect(twice[0]?.fingerprint).not.toBe(twice[1]?.fingerprint);
    const elsewhere = failing(lintFindings('FROM debian:12\nRUN sudo true\n', 'other/Dockerfile'));
    expect(elsewhere[0]?.fingerprint).not.toBe(twice[0]?.fingerprint);
  });

  it('never depend on a secret value: lines that differ only in a redacted value fingerprint alike', () => {
    const one = failing(lintFindings('FROM debian:12\nENV DB_PASSWORD=hunter2-first-value\n')).filter((finding) => finding.ruleId === 'DA807');
    const two = failing(lintFindings('FROM debian:12\nENV DB_PASSWORD=other-secret-value-9\n')).filter((finding) => finding.ruleId === 'DA807');
    expect(one).toHaveLength(1);
    expect(one[0]?.fingerprint).toBe(two[0]?.fingerprint);
  });

  it('name a container by its name, not its id, and a daemon of several by its label', () => {
    const report = (id: string) => runRules(snap().container({ name: 'web', id, hostConfig: { Privileged: true } }).build(), [privileged], configSchema.parse({}), { toolVersion: 't' });
    const first = report('a'.repeat(64));
    const recreated = report('b'.repeat(64));
    expect(first.findings[0]?.fingerprint).toBe(recreated.findings[0]?.fingerprint);
    expect(first.fingerprintScheme).toBe(1);
    const summary = { address: 'x', name: 'x', version: '1', reachable: true as const };
    const merged = mergeReports(
      [
        { label: 'one', summary, report: report('c'.repeat(64)) },
        { label: 'two', summary, report: report('d'.repeat(64)) },
      ],
      undefined,
      't',
    );
    const [a, b] = merged.findings.map((finding) => finding.fingerprint);
    expect(a).not.toBe(b);
    expect(a).not.toBe(first.findings[0]?.fingerprint);
  });
});
