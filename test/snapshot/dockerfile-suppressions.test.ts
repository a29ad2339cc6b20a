import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { runRules } from '../../src/engine/run.js';
import sudo from '../../src/rules/dockerfile/DA810.js';
import healthcheck from '../../src/rules/dockerfile/DA814.js';
import { snap } from '../helpers/builder.js';
import { parseSuppressions, suppressionsOf } from '../../src/parsers/suppressions.js';
import { workloadsFromCompose } from '../../src/views/from-compose.js';

describe('suppressionsOf', () => {
  it('reads next-line and file directives with their rules and reasons', () => {
    const content = [
      '# dockaudit ignore-file=DA805 pinned by the release pipeline',
      'FROM ubuntu:24.04',
      '# dockaudit ignore=DA810, dockerfile-sudo  vendor installer needs it (TICKET-42)',
      '# an ordinary comment',
      '',
      'RUN sudo ./install.sh',
      '  # dockaudit ignore=DA812 trailing directive',
    ].join('\n');
    expect(suppressionsOf(content)).toEqual([
      { line: 1, rules: ['DA805'], reason: 'pinned by the release pipeline', scope: 'file' },
      { line: 3, rules: ['DA810', 'dockerfile-sudo'], reason: 'vendor installer needs it (TICKET-42)', scope: 'next-line', target: 6 },
      { line: 7, rules: ['DA812'], reason: 'trailing directive', scope: 'next-line' },
    ]);
  });

  it('accepts a comma list without spaces, in YAML as well', () => {
    expect(suppressionsOf('services:\n  # dockaudit ignore=DA905,compose-privileged needed for the CNI\n  privileged: true\n')).toEqual([
      { line: 2, rules: ['DA905', 'compose-privileged'], reason: 'needed for the CNI', scope: 'next-line', target: 3 },
    ]);
  });

  it('reports directives without a reason or a rule, and malformed ones, and does not apply them', () => {
    const { suppressions, problems } = parseSuppressions('# dockaudit ignore=DA810\n# dockaudit ignore= because\n# dockaudit disable DA810\nRUN x\n');
    expect(suppressions).toEqual([]);
    expect(problems.map((problem) => [problem.line, problem.target])).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
    ]);
    expect(problems[0]?.message).toContain('gives no reason');
  });
});

describe('inline suppressions in the engine', () => {
  const content = [
    '# dockaudit ignore-file=dockerfile-healthcheck health is probed by Kubernetes',
    'FROM alpine',
    '# dockaudit ignore=DA810 the vendor installer insists on sudo',
    'RUN sudo ./install.sh',
    'RUN sudo make',
    'EXPOSE 8080',
  ].join('\n');
  const snapshot = snap()
    .with((s) => {
      s.files = { files: [{ path: 'app/Dockerfile', kind: 'dockerfile', content }] };
    })
    .build();

  it('marks the covered findings suppressed with the reason, leaving their status alone', () => {
    const report = runRules(snapshot, [sudo, healthcheck], DEFAULT_CONFIG, { toolVersion: 'test', fileWorkloads: workloadsFromCompose });
    const found = report.findings.map((finding) => [finding.ruleId, finding.location?.line, finding.status, finding.suppressed?.reason]);
    expect(found).toEqual([
      ['DA810', 4, 'fail', 'the vendor installer insists on sudo'],
      ['DA810', 5, 'fail', undefined],
      ['DA814', 2, 'fail', 'health is probed by Kubernetes'],
    ]);
    expect(report.summary.suppressed).toBe(2);
    expect(report.summary.failuresBySeverity.medium).toBe(1);
  });
});
