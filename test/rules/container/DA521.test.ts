import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA521.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';

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
