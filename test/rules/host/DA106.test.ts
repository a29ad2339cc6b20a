import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/host/DA106.js';
import { snap } from '../../helpers/builder.js';
import type { HostSystemFacts, SystemdUnit } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { auditOutcomes, auditRules, filesOf, present } from './helpers.js';

const FRAGMENT = '/usr/lib/systemd/system/docker.socket';

function build(audit: HostSystemFacts['audit'], units: SystemdUnit[] = [{ name: 'docker.socket', fragmentPath: FRAGMENT, dropIns: [], directives: {} }]) {
  return snap().host({ units, files: filesOf(present(FRAGMENT), present('/lib/systemd/system/docker.socket', { realPath: FRAGMENT })), audit }).build();
}

describe('DA106 audit-docker-socket-unit', () => {
  it('reports the unit file in every audit state', () => {
    expect(auditOutcomes((audit) => runRule(rule, build(audit)), FRAGMENT, `-w ${FRAGMENT} -p wa -k docker`)).toEqual({
      both: ['pass', 'audited'],
      filesOnly: ['warn', 'notLoaded'],
      liveOnly: ['warn', 'notPersistent'],
      none: ['fail', 'notAudited'],
      blind: ['skipped', 'notVisible'],
    });
  });

  it('counts a rule on the merged-/usr twin of the unit file, which is the same file', () => {
    const rules = ['-w /lib/systemd/system/docker.socket -p wa'];
    const finding = findingFor(runRule(rule, build(auditRules(rules, rules))), FRAGMENT);
    expect(finding).toMatchObject({ status: 'pass', messageId: 'audited' });
    expect(finding.message).toContain('CIS 1.1.9');
  });

  it('skips a host without docker.socket', () => {
    expect(summary(runRule(rule, build(auditRules([], []), [])))).toEqual([['docker.socket', 'skipped', 'notPresent']]);
  });
});
