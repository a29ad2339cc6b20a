import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/engine/config.js';
import { packFindings, unpackFindings } from '../../src/engine/packed.js';
import { evaluateRules } from '../../src/engine/run.js';
import sudo from '../../src/rules/dockerfile/DA810.js';
import healthcheck from '../../src/rules/dockerfile/DA815.js';
import { filesOnlySnapshot } from '../../src/collect/source-files-only.js';

const dockerfile = [
  'FROM debian:12',
  '# dockaudit ignore=DA810 the build needs it here',
  'RUN sudo apt-get update',
  'RUN sudo make install',
  'USER app',
].join('\n');

describe('packed findings', () => {
  it('unpack to the same findings, keys in the same order, suppressions and all', () => {
    const snapshot = filesOnlySnapshot({
      files: [
        { path: 'a/Dockerfile', kind: 'dockerfile', content: dockerfile },
        { path: 'b/Dockerfile', kind: 'dockerfile', content: 'FROM debian:12\nHEALTHCHECK CMD true\n' },
      ],
    });
    // What a worker thread packs: an evaluation's findings (fingerprints are added later, to the whole report).
    const { findings } = evaluateRules(snapshot, [sudo, healthcheck], configSchema.parse({}), { toolVersion: 't' });
    // The case covers what varies from finding to finding.
    expect(findings.some((finding) => finding.suppressed)).toBe(true);
    expect(findings.some((finding) => finding.location === undefined)).toBe(true);
    expect(findings.some((finding) => finding.remediation === undefined)).toBe(true);
    expect(findings.some((finding) => finding.remediation !== undefined)).toBe(true);
    const unpacked = unpackFindings(structuredClone(packFindings(findings)));
    expect(unpacked).toEqual(findings);
    expect(JSON.stringify(unpacked)).toBe(JSON.stringify(findings));
  });

  it('unpack a finding that stands for others a cap left out, with its count, keys in the same order', () => {
    const many = ['FROM debian:12', ...Array.from({ length: 30 }, () => 'RUN sudo true')].join('\n');
    const snapshot = filesOnlySnapshot({ files: [{ path: 'Dockerfile', kind: 'dockerfile', content: many }] });
    const { findings } = evaluateRules(snapshot, [sudo], configSchema.parse({ limits: { findingsPerRuleAndSubject: 10 } }), { toolVersion: 't' });
    expect(findings.filter((finding) => finding.notListed !== undefined).map((finding) => [finding.messageId, finding.notListed])).toEqual([['__notListed', 20]]);
    const unpacked = unpackFindings(structuredClone(packFindings(findings)));
    expect(JSON.stringify(unpacked)).toBe(JSON.stringify(findings));
  });

  it('carry each subject and location once, however many findings share them', () => {
    const snapshot = filesOnlySnapshot({ files: [{ path: 'Dockerfile', kind: 'dockerfile', content: dockerfile }] });
    const { findings } = evaluateRules(snapshot, [sudo, healthcheck], configSchema.parse({}), { toolVersion: 't' });
    const packed = packFindings(findings);
    expect(packed.subjects).toEqual([{ kind: 'file', name: 'Dockerfile' }]);
    expect(packed.heads.map((head) => head.ruleId).sort()).toEqual(['DA810', 'DA815']);
    expect(packed.messages).toHaveLength(findings.length);
  });
});
