import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA517.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA517 container-host-ipc', () => {
  it('fails a container in the host ipc namespace, running or not, and passes the others', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'shared', state: 'exited', hostConfig: { IpcMode: 'host' } })
        .container({ name: 'other', hostConfig: { IpcMode: 'container:abc123' } })
        .container({ name: 'plain' })
        .build(),
    );
    const shared = findingFor(findings, 'shared');
    expect(shared).toMatchObject({ ruleId: 'DA517', status: 'fail', messageId: 'host' });
    expect(shared.message).toContain('exited');
    expect(findingFor(findings, 'other')).toMatchObject({ status: 'pass', messageId: 'notHost' });
    expect(findingFor(findings, 'plain')).toMatchObject({ status: 'pass', messageId: 'notHost' });
  });
});

describe('DA517 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    ipc: host',
      '  plain:',
      '    image: app:1.0',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA517',
        alias: 'container-host-ipc',
        title: 'Containers do not share the host\'s IPC namespace',
        family: 'container',
        status: 'fail',
        severity: 'high',
        references: { cis: ['5.17'], checklist: ['NS-3'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'shares the host\'s IPC namespace (ipc mode host; state: defined)',
        messageId: 'host',
        remediation: 'Remove --ipc host (ipc: host). Containers that must share memory can share one container\'s namespace (--ipc container:<name> or shareable).',
      },
      {
        ruleId: 'DA517',
        alias: 'container-host-ipc',
        title: 'Containers do not share the host\'s IPC namespace',
        family: 'container',
        status: 'pass',
        severity: 'high',
        references: { cis: ['5.17'], checklist: ['NS-3'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 5, column: 3 },
        message: 'own IPC namespace (ipc mode private)',
        messageId: 'notHost',
      },
    ]);
  });
});
