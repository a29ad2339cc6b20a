import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA510.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';

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
