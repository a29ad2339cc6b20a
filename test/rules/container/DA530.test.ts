import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA530.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA530 container-default-bridge', () => {
  it('fails containers on the default bridge, saying whether they can reach each other', () => {
    const findings = runRule(
      rule,
      snap()
        .network({ Name: 'bridge', Driver: 'bridge', Options: { 'com.docker.network.bridge.enable_icc': 'true' } })
        .container({ name: 'default' })
        .container({ name: 'also', networks: ['bridge', 'backend'], hostConfig: { NetworkMode: 'backend' } })
        .build(),
    );
    const onDefault = findingFor(findings, 'default');
    expect(onDefault).toMatchObject({ status: 'fail', messageId: 'defaultBridge' });
    expect(onDefault.message).toContain('is allowed');
    expect(findingFor(findings, 'also')).toMatchObject({ status: 'fail', messageId: 'defaultBridge' });
  });

  it('passes containers on user-defined networks or without a network', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'app', networks: ['backend'], hostConfig: { NetworkMode: 'backend' } })
        .container({ name: 'isolated', networks: ['none'], hostConfig: { NetworkMode: 'none' } })
        .build(),
    );
    const app = findingFor(findings, 'app');
    expect(app).toMatchObject({ status: 'pass', messageId: 'otherNetworks' });
    expect(app.message).toContain('backend');
    expect(findingFor(findings, 'isolated')).toMatchObject({ status: 'pass', messageId: 'otherNetworks' });
  });
});

describe('DA530 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    network_mode: bridge',
      '  plain:',
      '    image: app:1.0',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA530',
        alias: 'container-default-bridge',
        title: 'Containers are not on the default bridge',
        family: 'container',
        status: 'fail',
        severity: 'low',
        references: { cis: ['5.30'], checklist: ['PERF-7'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'is attached to the default bridge network (inter-container traffic on it not known; state: defined)',
        messageId: 'defaultBridge',
        remediation: 'Create a network per application (docker network create app) and attach its containers with --network app; Compose does this for each project.',
      },
      {
        ruleId: 'DA530',
        alias: 'container-default-bridge',
        title: 'Containers are not on the default bridge',
        family: 'container',
        status: 'pass',
        severity: 'low',
        references: { cis: ['5.30'], checklist: ['PERF-7'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 5, column: 3 },
        message: 'is not on the default bridge (network mode app_default)',
        messageId: 'otherNetworks',
      },
    ]);
  });
});
