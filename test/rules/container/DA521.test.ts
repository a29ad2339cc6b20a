import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA521.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA521 container-host-uts', () => {
  it('fails a container in the host uts namespace, running or not, and passes the others', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'shared', state: 'exited', hostConfig: { UTSMode: 'host' } })
        .container({ name: 'other', hostConfig: { UTSMode: 'container:abc123' } })
        .container({ name: 'plain' })
        .build(),
    );
    const shared = findingFor(findings, 'shared');
    expect(shared).toMatchObject({ ruleId: 'DA521', status: 'fail', messageId: 'host' });
    expect(shared.message).toContain('exited');
    expect(findingFor(findings, 'other')).toMatchObject({ status: 'pass', messageId: 'notHost' });
    expect(findingFor(findings, 'plain')).toMatchObject({ status: 'pass', messageId: 'notHost' });
  });
});

describe('DA521 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    uts: host',
      '  plain:',
      '    image: app:1.0',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA521',
        alias: 'container-host-uts',
        title: 'Containers do not share the host\'s UTS namespace',
        family: 'container',
        status: 'fail',
        severity: 'medium',
        references: { cis: ['5.21'], checklist: ['NS-4'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'shares the host\'s UTS namespace (uts mode host; state: defined)',
        messageId: 'host',
        remediation: 'Remove --uts host (uts: host); set a hostname for the container with --hostname if it needs one.',
      },
      {
        ruleId: 'DA521',
        alias: 'container-host-uts',
        title: 'Containers do not share the host\'s UTS namespace',
        family: 'container',
        status: 'pass',
        severity: 'medium',
        references: { cis: ['5.21'], checklist: ['NS-4'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 5, column: 3 },
        message: 'own UTS namespace',
        messageId: 'notHost',
      },
    ]);
  });
});
