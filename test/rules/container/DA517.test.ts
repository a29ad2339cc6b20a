import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA517.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';

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
