import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA505.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';

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
