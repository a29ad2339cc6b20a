import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA525.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA525 container-cgroup-parent', () => {
  it('asks a person to confirm a custom cgroup parent, naming it, and passes the default', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'custom', hostConfig: { CgroupParent: '/batch.slice' } })
        .container({ name: 'plain' })
        .build(),
    );
    const custom = findingFor(findings, 'custom');
    expect(custom).toMatchObject({ status: 'manual', messageId: 'custom' });
    expect(custom.message).toContain('/batch.slice');
    expect(findingFor(findings, 'plain')).toMatchObject({ status: 'pass', messageId: 'default' });
  });
});

describe('DA525 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    cgroup_parent: /custom',
      '  plain:',
      '    image: app:1.0',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA525',
        alias: 'container-cgroup-parent',
        title: 'Containers stay in the default cgroup',
        family: 'container',
        status: 'manual',
        severity: 'low',
        references: { cis: ['5.25'], checklist: ['PERF-6'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'runs under the cgroup parent /custom: confirm the limits of that cgroup are intended',
        messageId: 'custom',
      },
      {
        ruleId: 'DA525',
        alias: 'container-cgroup-parent',
        title: 'Containers stay in the default cgroup',
        family: 'container',
        status: 'pass',
        severity: 'low',
        references: { cis: ['5.25'], checklist: ['PERF-6'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 5, column: 3 },
        message: 'uses the default cgroup parent',
        messageId: 'default',
      },
    ]);
  });
});
