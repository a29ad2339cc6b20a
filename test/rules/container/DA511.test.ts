import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA511.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA511 container-memory-limit', () => {
  it('fails a container without a memory limit and passes one with a limit, naming it', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'open', state: 'created' })
        .container({ name: 'bounded', hostConfig: { Memory: 256 * 1024 * 1024 } })
        .container({ name: 'odd', hostConfig: { Memory: 1536 * 1024 * 1024 } })
        .build(),
    );
    const open = findingFor(findings, 'open');
    expect(open).toMatchObject({ status: 'fail', messageId: 'unlimited' });
    expect(open.message).toContain('created');
    const bounded = findingFor(findings, 'bounded');
    expect(bounded).toMatchObject({ status: 'pass', messageId: 'limited' });
    expect(bounded.message).toContain('256 MiB');
    expect(findingFor(findings, 'odd').message).toContain('1.5 GiB');
  });
});

describe('DA511 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    restart: "no"',
      '  plain:',
      '    image: app:1.0',
      '    mem_limit: 256m',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA511',
        alias: 'container-memory-limit',
        title: 'Container memory is limited',
        family: 'container',
        status: 'fail',
        severity: 'medium',
        references: { cis: ['5.11'], checklist: ['PERF-1'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 2, column: 3 },
        message: 'has no memory limit (state: defined)',
        messageId: 'unlimited',
        remediation: 'Set a memory limit sized for the workload: docker run --memory 512m (mem_limit, or deploy.resources.limits.memory).',
      },
      {
        ruleId: 'DA511',
        alias: 'container-memory-limit',
        title: 'Container memory is limited',
        family: 'container',
        status: 'pass',
        severity: 'medium',
        references: { cis: ['5.11'], checklist: ['PERF-1'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 5, column: 3 },
        message: 'memory limited to 256 MiB',
        messageId: 'limited',
      },
    ]);
  });
});
