import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/host/DA109.js';
import { snap } from '../../helpers/builder.js';
import type { HostSystemFacts } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { absent, auditOutcomes, auditRules, filesOf, present } from './helpers.js';

/** Debian's docker.io: runc in /usr/sbin, containerd started by dockerd, no shim v1, no config.toml. */
const BINARIES = {
  containerd: '/usr/bin/containerd',
  'containerd-shim': '/usr/bin/containerd-shim',
  'containerd-shim-runc-v2': '/usr/bin/containerd-shim-runc-v2',
  runc: '/usr/sbin/runc',
};
const FILES = filesOf(
  ...Object.values(BINARIES).map((path) => present(path, { mode: 0o755 })),
  absent('/run/containerd/containerd.sock'),
  present('/var/run/docker/containerd/containerd.sock', { type: 'socket', realPath: '/run/docker/containerd/containerd.sock' }),
  absent('/etc/containerd/config.toml'),
);

function build(audit: HostSystemFacts['audit']) {
  return snap().host({ binaries: BINARIES, files: FILES, audit }).build();
}

describe('DA109 audit-container-runtime', () => {
  it('reports runc in every audit state', () => {
    expect(auditOutcomes((audit) => runRule(rule, build(audit)), '/usr/sbin/runc', '-w /usr/sbin/runc -p wa -k docker')).toEqual({
      both: ['pass', 'audited'],
      filesOnly: ['warn', 'notLoaded'],
      liveOnly: ['warn', 'notPersistent'],
      none: ['fail', 'notAudited'],
      blind: ['skipped', 'notVisible'],
    });
  });

  it('checks each runtime file where it is on this host, one finding per control', () => {
    const rules = [
      '-w /usr/bin/runc -p wa -k docker',
      '-w /usr/bin/containerd -p wa -k docker',
      '-w /usr/bin/containerd-shim -p wa -k docker',
      '-w /usr/bin/containerd-shim-runc-v2 -p wa -k docker',
      '-w /run/docker/containerd/containerd.sock -p wa -k docker',
    ];
    const findings = runRule(rule, build(auditRules(rules, rules)));
    expect(summary(findings)).toEqual([
      // The CIS path /usr/bin/runc is watched, but Debian's runc is /usr/sbin/runc.
      ['/usr/sbin/runc', 'fail', 'notAudited'],
      ['/etc/containerd/config.toml', 'skipped', 'notPresent'],
      ['containerd-shim-runc-v1', 'skipped', 'notFound'],
      ['/usr/bin/containerd', 'pass', 'audited'],
      ['/usr/bin/containerd-shim', 'pass', 'audited'],
      ['/usr/bin/containerd-shim-runc-v2', 'pass', 'audited'],
      ['/var/run/docker/containerd/containerd.sock', 'pass', 'audited'],
    ]);
    expect(findingFor(findings, '/usr/sbin/runc').message).toContain('CIS 1.1.18');
    expect(findingFor(findings, 'containerd-shim-runc-v1').message).toContain('CIS 1.1.16');
    expect(findingFor(findings, '/var/run/docker/containerd/containerd.sock').message).toContain('CIS 1.1.8');
  });

  it('audits the containerd socket the daemon is configured with', () => {
    const snapshot = snap()
      .daemon({ settings: { containerd: '/run/k3s/containerd/containerd.sock' } })
      .host({ binaries: BINARIES, files: FILES, audit: auditRules([], []) })
      .build();
    expect(findingFor(runRule(rule, snapshot), '/run/k3s/containerd/containerd.sock')).toMatchObject({ status: 'skipped', messageId: 'notVisible' });
  });
});
