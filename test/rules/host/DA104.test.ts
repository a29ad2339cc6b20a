import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/host/DA104.js';
import { snap } from '../../helpers/builder.js';
import type { HostSystemFacts } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { absent, auditOutcomes, auditRules, filesOf, present } from './helpers.js';

const FILES = filesOf(
  present('/run/containerd', { type: 'directory', mode: 0o711 }),
  present('/var/lib/docker', { type: 'directory', mode: 0o710 }),
  present('/etc/docker', { type: 'directory', mode: 0o755 }),
);

function build(audit: HostSystemFacts['audit'], files = FILES, info: Record<string, unknown> = {}) {
  return snap().daemon({ info }).host({ files, audit }).build();
}

describe('DA104 audit-docker-directories', () => {
  it('reports each directory in every audit state', () => {
    expect(auditOutcomes((audit) => runRule(rule, build(audit)), '/etc/docker', '-w /etc/docker -p wa -k docker')).toEqual({
      both: ['pass', 'audited'],
      filesOnly: ['warn', 'notLoaded'],
      liveOnly: ['warn', 'notPersistent'],
      none: ['fail', 'notAudited'],
      blind: ['skipped', 'notVisible'],
    });
  });

  it('names the control of each directory and passes only what is watched', () => {
    const rules = ['-w /var/lib/docker -p wa -k docker', '-a always,exit -F path=/run/containerd -F perm=war -k docker'];
    const findings = runRule(rule, build(auditRules(rules, rules)));
    expect(summary(findings)).toEqual([
      ['/etc/docker', 'fail', 'notAudited'],
      ['/run/containerd', 'pass', 'audited'],
      ['/var/lib/docker', 'pass', 'audited'],
    ]);
    expect(findingFor(findings, '/etc/docker').message).toContain('CIS 1.1.6');
    expect(findingFor(findings, '/run/containerd').message).toContain('CIS 1.1.4');
  });

  it('does not count a rule on a file inside /etc/docker for the directory itself', () => {
    const rules = ['-w /etc/docker/daemon.json -p wa'];
    expect(findingFor(runRule(rule, build(auditRules(rules, rules))), '/etc/docker')).toMatchObject({ status: 'fail', messageId: 'notAudited' });
  });

  it('audits the data root the daemon reports, the parent of a user-namespace root', () => {
    const files = filesOf(...Object.values(FILES), present('/srv/docker', { type: 'directory' }));
    const onDefault = ['-w /var/lib/docker -p wa'];
    const moved = findingFor(runRule(rule, build(auditRules(onDefault, onDefault), files, { DockerRootDir: '/srv/docker' })), '/srv/docker');
    expect(moved).toMatchObject({ status: 'fail', messageId: 'notAudited' });
    expect(moved.message).toContain('CIS 1.1.5');
    const onReal = ['-w /srv/docker -p wa'];
    const remapped = runRule(rule, build(auditRules(onReal, onReal), files, { DockerRootDir: '/srv/docker/100000.100000' }));
    expect(findingFor(remapped, '/srv/docker')).toMatchObject({ status: 'pass', messageId: 'audited' });
  });

  it('uses the state directory of the containerd dockerd started when there is no system containerd', () => {
    const files = filesOf(
      absent('/run/containerd/containerd.sock'),
      present('/var/run/docker/containerd/containerd.sock', { type: 'socket', realPath: '/run/docker/containerd/containerd.sock' }),
      present('/var/run/docker/containerd', { type: 'directory', realPath: '/run/docker/containerd' }),
      present('/etc/docker', { type: 'directory' }),
      present('/var/lib/docker', { type: 'directory' }),
    );
    // auditctl prints the /run form; the collector saw the /var/run one: both are one place.
    const rules = ['-w /run/docker/containerd -p wa -k docker'];
    const finding = findingFor(runRule(rule, build(auditRules(rules, rules), files)), '/var/run/docker/containerd');
    expect(finding).toMatchObject({ status: 'pass', messageId: 'audited' });
  });

  it('skips what does not exist and what the daemon could not tell', () => {
    const files = filesOf(absent('/run/containerd'), present('/etc/docker', { type: 'directory' }), present('/var/lib/docker', { type: 'directory' }));
    expect(findingFor(runRule(rule, build(auditRules([], []), files)), '/run/containerd')).toMatchObject({ status: 'skipped', messageId: 'notPresent' });
    const noDaemon = snap().daemonUnavailable('connect ENOENT /var/run/docker.sock').host({ files, audit: auditRules([], []) }).build();
    const finding = findingFor(runRule(rule, noDaemon), 'data-root');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notVisible' });
    expect(finding.message).toContain('connect ENOENT');
  });
});
