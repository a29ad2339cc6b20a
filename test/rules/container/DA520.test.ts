import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA520.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';

describe('DA520 container-mount-propagation', () => {
  it('fails shared and rshared mounts, naming them, and passes private and slave ones', () => {
    const findings = runRule(
      rule,
      snap()
        .container({
          name: 'shared',
          mounts: [
            { Type: 'bind', Source: '/mnt/data', Destination: '/data', RW: true, Propagation: 'rshared' },
            { Type: 'bind', Source: '/srv', Destination: '/srv', RW: true, Propagation: 'rslave' },
          ],
        })
        .container({ name: 'private', mounts: [{ Type: 'bind', Source: '/srv', Destination: '/srv', RW: true, Propagation: 'rprivate' }] })
        .build(),
    );
    const shared = findingFor(findings, 'shared');
    expect(shared).toMatchObject({ status: 'fail', messageId: 'shared' });
    expect(shared.message).toContain('/mnt/data -> /data (rshared)');
    expect(shared.message).not.toContain('/srv');
    expect(findingFor(findings, 'private')).toMatchObject({ status: 'pass', messageId: 'notShared' });
  });
});
