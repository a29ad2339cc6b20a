import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/daemon/DA216.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

describe('DA216 daemon-userland-proxy', () => {
  it('passes the proxy turned off', () => {
    expect(summary(runRule(rule, snap().daemon({ settings: { 'userland-proxy': false } }).build()))).toEqual([['dockerd', 'pass', 'disabled']]);
    expect(summary(runRule(rule, snap().daemon({ settings: { 'userland-proxy': 'false' } }).build()))).toEqual([['dockerd', 'pass', 'disabled']]);
  });

  it('fails the default and an explicit true', () => {
    const defaulted = findingFor(runRule(rule, snap().daemon({ settings: {} }).build()), 'dockerd');
    expect(defaulted).toMatchObject({ ruleId: 'DA216', status: 'fail', messageId: 'enabled', severity: 'low' });
    expect(defaulted.message).toContain('userland-proxy is true (default)');
    const explicit = findingFor(runRule(rule, snap().daemon({ settings: { 'userland-proxy': true } }).build()), 'dockerd');
    expect(explicit.message).toContain('userland-proxy is true (daemon.json)');
  });

  it('is skipped when the daemon configuration is not visible', () => {
    expect(summary(runRule(rule, snap().daemon({ configUnavailable: 'the daemon is remote' }).build()))).toEqual([['dockerd', 'skipped', '__skipped']]);
  });
});
