import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/host/DA107.js';
import { snap } from '../../helpers/builder.js';
import type { HostSystemFacts } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { absent, auditOutcomes, auditRules, filesOf, present } from './helpers.js';

function build(audit: HostSystemFacts['audit'], files = filesOf(present('/etc/default/docker'), absent('/etc/sysconfig/docker'))) {
  return snap().host({ files, audit }).build();
}

describe('DA107 audit-docker-environment-files', () => {
  it('reports /etc/default/docker in every audit state', () => {
    expect(auditOutcomes((audit) => runRule(rule, build(audit)), '/etc/default/docker', '-w /etc/default/docker -p wa -k docker')).toEqual({
      both: ['pass', 'audited'],
      filesOnly: ['warn', 'notLoaded'],
      liveOnly: ['warn', 'notPersistent'],
      none: ['fail', 'notAudited'],
      blind: ['skipped', 'notVisible'],
    });
  });

  it('skips the file of the other distribution family, which does not exist here', () => {
    const findings = runRule(rule, build(auditRules([], [])));
    expect(summary(findings)).toEqual([
      ['/etc/default/docker', 'fail', 'notAudited'],
      ['/etc/sysconfig/docker', 'skipped', 'notPresent'],
    ]);
    expect(findingFor(findings, '/etc/sysconfig/docker').message).toContain('CIS 1.1.13');
    expect(findingFor(findings, '/etc/default/docker').message).toContain('CIS 1.1.10');
  });

  it('checks both files when both exist', () => {
    const both = filesOf(present('/etc/default/docker'), present('/etc/sysconfig/docker'));
    const rules = ['-w /etc/sysconfig/docker -p wa'];
    expect(summary(runRule(rule, build(auditRules(rules, rules), both)))).toEqual([
      ['/etc/default/docker', 'fail', 'notAudited'],
      ['/etc/sysconfig/docker', 'pass', 'audited'],
    ]);
  });
});
