import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA519.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA519 container-ulimits', () => {
  it('asks a person to confirm per-container ulimits, naming them', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'tuned', hostConfig: { Ulimits: [{ Name: 'nofile', Soft: 65536, Hard: 65536 }, { Name: 'core', Soft: -1, Hard: -1 }] } })
        .container({ name: 'plain' })
        .build(),
    );
    const tuned = findingFor(findings, 'tuned');
    expect(tuned).toMatchObject({ status: 'manual', messageId: 'overridden' });
    expect(tuned.message).toContain('nofile=65536:65536, core=unlimited:unlimited');
    expect(findingFor(findings, 'plain')).toMatchObject({ status: 'pass', messageId: 'defaults' });
  });
});

describe('DA519 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    ulimits:',
      '      nofile: {soft: 1024, hard: 2048}',
      '  plain:',
      '    image: app:1.0',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA519',
        alias: 'container-ulimits',
        title: 'Default ulimits are overridden only where needed',
        family: 'container',
        status: 'manual',
        severity: 'low',
        references: { cis: ['5.19'], checklist: ['PERF-6'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'overrides the default ulimits: nofile=1024:2048: confirm each is needed',
        messageId: 'overridden',
      },
      {
        ruleId: 'DA519',
        alias: 'container-ulimits',
        title: 'Default ulimits are overridden only where needed',
        family: 'container',
        status: 'pass',
        severity: 'low',
        references: { cis: ['5.19'], checklist: ['PERF-6'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 6, column: 3 },
        message: 'uses the daemon\'s default ulimits',
        messageId: 'defaults',
      },
    ]);
  });
});
