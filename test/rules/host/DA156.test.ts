import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/host/DA156.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

type Environment = { process: Record<string, string>; files: { path: string; values: Record<string, string> }[] };

function host(environment: Environment) {
  return snap().host({ environment }).build();
}

describe('DA156 content-trust-environment', () => {
  it('passes when a system-wide file turns content trust on, naming every place', () => {
    const finding = findingFor(
      runRule(rule, host({ process: { DOCKER_CONTENT_TRUST: '1' }, files: [{ path: '/etc/environment', values: { DOCKER_CONTENT_TRUST: '1' } }] })),
      'testhost',
    );
    expect(finding).toMatchObject({ ruleId: 'DA156', status: 'pass', messageId: 'enabled' });
    expect(finding.message).toBe('DOCKER_CONTENT_TRUST is on in /etc/environment, the environment dockaudit ran in');
  });

  it('passes when only the auditing environment sets it, and says so', () => {
    const finding = findingFor(runRule(rule, host({ process: { DOCKER_CONTENT_TRUST: 'true' }, files: [] })), 'testhost');
    expect(finding).toMatchObject({ status: 'pass', messageId: 'enabledHereOnly' });
    expect(finding.message).toContain('DOCKER_CONTENT_TRUST=true is set only in the environment dockaudit ran in');
  });

  it('fails when neither the environment nor a system-wide file sets it', () => {
    const finding = findingFor(runRule(rule, host({ process: {}, files: [{ path: '/etc/environment', values: { DOCKER_HOST: 'unix:///run/docker.sock' } }] })), 'testhost');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'unset', severity: 'medium' });
    expect(finding.message).toBe(
      'DOCKER_CONTENT_TRUST is set neither in the environment dockaudit ran in nor in the system-wide environment files dockaudit read',
    );
    expect(summary(runRule(rule, host({ process: { DOCKER_CONTENT_TRUST: '' }, files: [] })))).toEqual([['testhost', 'fail', 'unset']]);
  });

  it('fails a value that turns it off, in a system-wide file even when the environment turns it on', () => {
    const finding = findingFor(
      runRule(rule, host({ process: { DOCKER_CONTENT_TRUST: '1' }, files: [{ path: '/etc/profile.d/docker.sh', values: { DOCKER_CONTENT_TRUST: '0' } }] })),
      'testhost',
    );
    expect(finding).toMatchObject({ status: 'fail', messageId: 'disabled' });
    expect(finding.message).toBe('DOCKER_CONTENT_TRUST turns content trust off: DOCKER_CONTENT_TRUST=0 in /etc/profile.d/docker.sh');
    const here = findingFor(runRule(rule, host({ process: { DOCKER_CONTENT_TRUST: 'false' }, files: [] })), 'testhost');
    expect(here).toMatchObject({ status: 'fail', messageId: 'disabled' });
    expect(here.message).toContain('DOCKER_CONTENT_TRUST=false in the environment dockaudit ran in');
  });
});
