import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/daemon/DA205.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

describe('DA205 daemon-insecure-registries', () => {
  it('passes the default registry configuration, loopback only', () => {
    const info = {
      RegistryConfig: {
        InsecureRegistryCIDRs: ['127.0.0.0/8'],
        IndexConfigs: { 'docker.io': { Name: 'docker.io', Secure: true, Official: true } },
      },
    };
    expect(summary(runRule(rule, snap().daemon({ info }).build()))).toEqual([['dockerd', 'pass', 'none']]);
  });

  it('fails and lists insecure registries by name and by range', () => {
    const info = {
      RegistryConfig: {
        InsecureRegistryCIDRs: ['127.0.0.0/8', '10.20.0.0/16'],
        IndexConfigs: {
          'docker.io': { Name: 'docker.io', Secure: true },
          'registry.lan:5000': { Name: 'registry.lan:5000', Secure: false },
        },
      },
    };
    const finding = findingFor(runRule(rule, snap().daemon({ info, configUnavailable: 'the daemon is remote' }).build()), 'dockerd');
    expect(finding).toMatchObject({ ruleId: 'DA205', status: 'fail', messageId: 'insecure', severity: 'high' });
    expect(finding.message).toBe('insecure registries configured: 10.20.0.0/16, registry.lan:5000');
  });

  it('is skipped when info carries no registry configuration', () => {
    const snapshot = snap()
      .with((s) => {
        if (!('unavailable' in s.daemon)) delete s.daemon.info['RegistryConfig'];
      })
      .build();
    expect(summary(runRule(rule, snapshot))).toEqual([['dockerd', 'skipped', 'notReported']]);
  });
});
