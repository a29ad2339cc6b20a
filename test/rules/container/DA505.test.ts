import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA505.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA505 container-privileged', () => {
  it('fails a privileged container, running or only created, and passes a plain one', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'priv', state: 'created', hostConfig: { Privileged: true } })
        .container({ name: 'plain' })
        .build(),
    );
    const privileged = findingFor(findings, 'priv');
    expect(privileged).toMatchObject({ ruleId: 'DA505', status: 'fail', messageId: 'privileged', severity: 'critical' });
    expect(privileged.message).toContain('created');
    expect(findingFor(findings, 'plain')).toMatchObject({ status: 'pass', messageId: 'notPrivileged' });
  });

  it('is skipped with the reason when containers could not be listed', () => {
    const findings = runRule(rule, snap().daemonUnavailable('connect ENOENT /var/run/docker.sock').build());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: 'skipped', subject: { kind: 'container' } });
    expect(findings[0]?.message).toContain('ENOENT');
  });
});

describe('DA505 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    privileged: true',
      '  plain:',
      '    image: app:1.0',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA505',
        alias: 'container-privileged',
        title: 'Containers are not privileged',
        family: 'container',
        status: 'fail',
        severity: 'critical',
        references: { cis: ['5.5'], checklist: ['POL-3'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'compose-service runs privileged (state: defined)',
        messageId: 'privileged',
        remediation: 'Remove --privileged (privileged: true); add only the capabilities and devices the workload needs.',
      },
      {
        ruleId: 'DA505',
        alias: 'container-privileged',
        title: 'Containers are not privileged',
        family: 'container',
        status: 'pass',
        severity: 'critical',
        references: { cis: ['5.5'], checklist: ['POL-3'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 5, column: 3 },
        message: 'not privileged',
        messageId: 'notPrivileged',
      },
    ]);
  });
});
