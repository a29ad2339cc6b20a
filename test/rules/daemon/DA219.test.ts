import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/daemon/DA219.js';
import { defaultInfo, snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';

const AUTHZ = { Plugins: { ...(defaultInfo()['Plugins'] as object), Authorization: ['opa-docker-authz'] } };

describe('DA219 daemon-docker-group-root', () => {
  it('fails a default daemon and lists every missing barrier', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ settings: {} }).build()), 'dockerd');
    expect(finding).toMatchObject({ ruleId: 'DA219', status: 'fail', messageId: 'none', severity: 'high', references: { checklist: ['CMD-1'] } });
    expect(finding.message).toBe(
      'nothing stands between a member of the docker group and root on the host: no authorization plugin, daemon runs as root, no user-namespace remapping, no no-new-privileges default',
    );
  });

  it('says when the no-new-privileges default could not be seen', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ configUnavailable: 'the daemon is remote' }).build()), 'dockerd');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'none' });
    expect(finding.message).toContain('no-new-privileges default unknown (configuration not visible)');
  });

  it('passes an authorization plugin or a rootless daemon and lists every barrier in place', () => {
    const authz = findingFor(runRule(rule, snap().daemon({ info: AUTHZ, settings: { 'no-new-privileges': true } }).build()), 'dockerd');
    expect(authz).toMatchObject({ status: 'pass', messageId: 'guarded' });
    expect(authz.message).toContain('authorization plugin opa-docker-authz, no-new-privileges by default');

    const rootless = findingFor(runRule(rule, snap().daemon({ info: { SecurityOptions: ['name=rootless'] } }).build()), 'dockerd');
    expect(rootless).toMatchObject({ status: 'pass', messageId: 'guarded' });
    expect(rootless.message).toContain('rootless daemon');
  });

  it('warns when only per-container layers stand in the way', () => {
    const snapshot = snap().daemon({ info: { SecurityOptions: ['name=seccomp,profile=default', 'name=userns'] }, settings: { 'no-new-privileges': true } }).build();
    const finding = findingFor(runRule(rule, snapshot), 'dockerd');
    expect(finding).toMatchObject({ status: 'warn', messageId: 'weak' });
    expect(finding.message).toContain('only user-namespace remapping, no-new-privileges by default stand');
    expect(finding.message).toContain('missing: no authorization plugin, daemon runs as root');
  });
});
