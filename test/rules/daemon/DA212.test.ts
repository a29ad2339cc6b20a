import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/daemon/DA212.js';
import { defaultInfo, snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

function withAuthorization(plugins: string[] | null) {
  return { Plugins: { ...(defaultInfo()['Plugins'] as object), Authorization: plugins } };
}

describe('DA212 daemon-authorization-plugin', () => {
  it('passes a daemon that reports an authorization plugin, even when remote', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ info: withAuthorization(['opa-docker-authz']), configUnavailable: 'remote' }).build()), 'dockerd');
    expect(finding).toMatchObject({ status: 'pass', messageId: 'enabled' });
    expect(finding.message).toContain('opa-docker-authz');
  });

  it('fails a daemon without one', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ info: withAuthorization(null), settings: {} }).build()), 'dockerd');
    expect(finding).toMatchObject({ ruleId: 'DA212', status: 'fail', messageId: 'none', severity: 'medium' });
    expect(summary(runRule(rule, snap().daemon({ info: withAuthorization([]) }).build()))).toEqual([['dockerd', 'fail', 'none']]);
  });

  it('fails with the reason when a plugin is configured but the running daemon does not use it', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ settings: { 'authorization-plugins': ['authz-broker'] } }).build()), 'dockerd');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'notApplied' });
    expect(finding.message).toContain('authz-broker (daemon.json)');
  });
});
