import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/daemon/DA202.js';
import { snap } from '../../helpers/builder.js';
import type { ApiDocument } from '../../../src/snapshot/types.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

function bridge(options: Record<string, string>): ApiDocument {
  return { Name: 'bridge', Driver: 'bridge', Options: { 'com.docker.network.bridge.name': 'docker0', ...options } };
}

describe('DA202 daemon-icc', () => {
  it('decides from the default bridge network when it is listed', () => {
    const open = findingFor(
      runRule(rule, snap().network(bridge({ 'com.docker.network.bridge.enable_icc': 'true' })).daemon({ settings: { icc: false } }).build()),
      'dockerd',
    );
    // The network is what the running daemon applies, whatever daemon.json now says.
    expect(open).toMatchObject({ ruleId: 'DA202', status: 'fail', messageId: 'bridgeOpen', severity: 'medium' });
    expect(open.message).toContain('com.docker.network.bridge.enable_icc=true');

    const restricted = runRule(rule, snap().network(bridge({ 'com.docker.network.bridge.enable_icc': 'false' })).build());
    expect(summary(restricted)).toEqual([['dockerd', 'pass', 'bridgeRestricted']]);
  });

  it('reads a bridge without the option as icc on, the driver default', () => {
    expect(summary(runRule(rule, snap().network(bridge({})).build()))).toEqual([['dockerd', 'fail', 'bridgeOpen']]);
  });

  it('passes a daemon without a default bridge and names the networks it has', () => {
    const finding = findingFor(runRule(rule, snap().network({ Name: 'host', Driver: 'host' }).network({ Name: 'none', Driver: 'null' }).build()), 'dockerd');
    expect(finding).toMatchObject({ status: 'pass', messageId: 'noBridge' });
    expect(finding.message).toContain('host, none');
  });

  it('falls back to the configuration when the networks are not listed', () => {
    const withoutNetworks = (settings: Record<string, unknown>) =>
      snap()
        .daemon({ settings })
        .with((snapshot) => {
          snapshot.networks = { unavailable: true, reason: 'permission denied' };
        })
        .build();
    expect(summary(runRule(rule, withoutNetworks({ icc: false })))).toEqual([['dockerd', 'pass', 'configRestricted']]);
    expect(summary(runRule(rule, withoutNetworks({ icc: 'false' })))).toEqual([['dockerd', 'pass', 'configRestricted']]);
    const defaulted = findingFor(runRule(rule, withoutNetworks({})), 'dockerd');
    expect(defaulted).toMatchObject({ status: 'fail', messageId: 'configOpen' });
    expect(defaulted.message).toContain('icc is true (default)');
  });

  it('falls back to the configuration when the network list is empty, which a live daemon never reports', () => {
    expect(summary(runRule(rule, snap().daemon({ settings: { icc: false } }).build()))).toEqual([['dockerd', 'pass', 'configRestricted']]);
    const remote = findingFor(runRule(rule, snap().daemon({ configUnavailable: 'the daemon is remote' }).build()), 'dockerd');
    expect(remote).toMatchObject({ status: 'skipped', messageId: 'notSeen' });
    expect(remote.message).toContain('no network listed');
  });

  it('is skipped with both reasons when neither networks nor configuration are visible', () => {
    const snapshot = snap()
      .daemon({ configUnavailable: 'the daemon is remote' })
      .with((s) => {
        s.networks = { unavailable: true, reason: 'permission denied' };
      })
      .build();
    const finding = findingFor(runRule(rule, snapshot), 'dockerd');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notSeen' });
    expect(finding.message).toContain('permission denied');
    expect(finding.message).toContain('the daemon is remote');
  });
});
