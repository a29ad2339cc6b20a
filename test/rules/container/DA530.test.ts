import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA530.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';

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
