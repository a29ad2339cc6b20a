import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA516.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA516 container-host-pid', () => {
  it('fails a container in the host pid namespace, running or not, and passes the others', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'shared', state: 'exited', hostConfig: { PidMode: 'host' } })
        .container({ name: 'other', hostConfig: { PidMode: 'container:abc123' } })
        .container({ name: 'plain' })
        .build(),
    );
    const shared = findingFor(findings, 'shared');
    expect(shared).toMatchObject({ ruleId: 'DA516', status: 'fail', messageId: 'host' });
    expect(shared.message).toContain('exited');
    expect(findingFor(findings, 'other')).toMatchObject({ status: 'pass', messageId: 'notHost' });
    expect(findingFor(findings, 'plain')).toMatchObject({ status: 'pass', messageId: 'notHost' });
  });
});

describe('DA516 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    pid: host',
      '  plain:',
      '    image: app:1.0',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA516',
        alias: 'container-host-pid',
        title: 'Containers do not share the host\'s process namespace',
        family: 'container',
        status: 'fail',
        severity: 'high',
        references: { cis: ['5.16'], checklist: ['NS-2'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'shares the host\'s process namespace (pid mode host; state: defined)',
        messageId: 'host',
        remediation: 'Remove --pid host (pid: host). To debug another container, share that container\'s namespace (--pid container:<name>) instead.',
      },
      {
        ruleId: 'DA516',
        alias: 'container-host-pid',
        title: 'Containers do not share the host\'s process namespace',
        family: 'container',
        status: 'pass',
        severity: 'high',
        references: { cis: ['5.16'], checklist: ['NS-2'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 5, column: 3 },
        message: 'own process namespace (pid mode private)',
        messageId: 'notHost',
      },
    ]);
  });
});
