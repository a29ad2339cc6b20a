import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA529.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA529 container-pids-limit', () => {
  it('fails an unset, zero or negative PIDs limit and passes a positive one', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'unset', state: 'created' })
        .container({ name: 'minus', hostConfig: { PidsLimit: -1 } })
        .container({ name: 'bounded', hostConfig: { PidsLimit: 200 } })
        .build(),
    );
    const unset = findingFor(findings, 'unset');
    expect(unset).toMatchObject({ status: 'fail', messageId: 'unlimited' });
    expect(unset.message).toContain('created');
    expect(findingFor(findings, 'minus')).toMatchObject({ status: 'fail', messageId: 'unlimited' });
    const bounded = findingFor(findings, 'bounded');
    expect(bounded).toMatchObject({ status: 'pass', messageId: 'limited' });
    expect(bounded.message).toContain('200');
  });
});

describe('DA529 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    restart: "no"',
      '  plain:',
      '    image: app:1.0',
      '    pids_limit: 100',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA529',
        alias: 'container-pids-limit',
        title: 'Container process count is limited',
        family: 'container',
        status: 'fail',
        severity: 'medium',
        references: { cis: ['5.29'], checklist: ['PID-1', 'PERF-6'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 2, column: 3 },
        message: 'has no PIDs limit (state: defined)',
        messageId: 'unlimited',
        remediation: 'Set a PIDs limit sized for the workload: docker run --pids-limit 200 (pids_limit, or deploy.resources.limits.pids).',
      },
      {
        ruleId: 'DA529',
        alias: 'container-pids-limit',
        title: 'Container process count is limited',
        family: 'container',
        status: 'pass',
        severity: 'medium',
        references: { cis: ['5.29'], checklist: ['PID-1', 'PERF-6'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 5, column: 3 },
        message: 'limited to 100 processes',
        messageId: 'limited',
      },
    ]);
  });
});
