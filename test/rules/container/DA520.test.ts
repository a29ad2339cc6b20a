import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA520.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

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

describe('DA520 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    volumes:',
      '      - type: bind',
      '        source: /srv',
      '        target: /srv',
      '        bind:',
      '          propagation: rshared',
      '  plain:',
      '    image: app:1.0',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA520',
        alias: 'container-mount-propagation',
        title: 'Mount propagation is not shared',
        family: 'container',
        status: 'fail',
        severity: 'medium',
        references: { cis: ['5.20'], checklist: [] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'mounts with shared propagation: /srv -> /srv (rshared) (state: defined)',
        messageId: 'shared',
        remediation: 'Drop the shared/rshared option from the bind mount (-v /src:/dst, or propagation: rprivate); use rslave where the container must see host mounts appear.',
      },
      {
        ruleId: 'DA520',
        alias: 'container-mount-propagation',
        title: 'Mount propagation is not shared',
        family: 'container',
        status: 'pass',
        severity: 'medium',
        references: { cis: ['5.20'], checklist: [] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 10, column: 3 },
        message: 'no mount uses shared propagation',
        messageId: 'notShared',
      },
    ]);
  });
});
