import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA510.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA510 container-host-network', () => {
  it('fails the host network, running or stopped, and passes the others with their mode', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'hostnet', state: 'exited', hostConfig: { NetworkMode: 'host' }, networks: ['host'] })
        .container({ name: 'app', hostConfig: { NetworkMode: 'backend' }, networks: ['backend'] })
        .build(),
    );
    const hostnet = findingFor(findings, 'hostnet');
    expect(hostnet).toMatchObject({ ruleId: 'DA510', status: 'fail', messageId: 'host', severity: 'high' });
    expect(hostnet.message).toContain('exited');
    const app = findingFor(findings, 'app');
    expect(app).toMatchObject({ status: 'pass', messageId: 'notHost' });
    expect(app.message).toContain('backend');
  });
});

describe('DA510 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    network_mode: host',
      '  plain:',
      '    image: app:1.0',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA510',
        alias: 'container-host-network',
        title: 'Containers do not share the host\'s network namespace',
        family: 'container',
        status: 'fail',
        severity: 'high',
        references: { cis: ['5.10'], checklist: ['NS-1'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'shares the host\'s network namespace (network mode host; state: defined)',
        messageId: 'host',
        remediation: 'Remove --network host (network_mode: host); attach the container to a user-defined network and publish the ports it serves.',
      },
      {
        ruleId: 'DA510',
        alias: 'container-host-network',
        title: 'Containers do not share the host\'s network namespace',
        family: 'container',
        status: 'pass',
        severity: 'high',
        references: { cis: ['5.10'], checklist: ['NS-1'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 5, column: 3 },
        message: 'own network namespace (network mode app_default)',
        messageId: 'notHost',
      },
    ]);
  });
});
