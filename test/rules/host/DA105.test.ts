import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/host/DA105.js';
import { snap } from '../../helpers/builder.js';
import type { HostSystemFacts, SystemdUnit } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { auditOutcomes, auditRules, filesOf, present } from './helpers.js';

const FRAGMENT = '/lib/systemd/system/docker.service';
const DROP_IN = '/etc/systemd/system/docker.service.d/override.conf';

const MERGED = '/usr/lib/systemd/system/docker.service';

function build(audit: HostSystemFacts['audit'], units: SystemdUnit[] = [{ name: 'docker.service', fragmentPath: FRAGMENT, dropIns: [DROP_IN], directives: {} }]) {
  return snap().host({ units, files: filesOf(present(FRAGMENT), present(DROP_IN), present(MERGED)), audit }).build();
}

describe('DA105 audit-docker-service', () => {
  it('reports the unit file in every audit state', () => {
    expect(auditOutcomes((audit) => runRule(rule, build(audit)), FRAGMENT, `-w ${FRAGMENT} -p wa -k docker`)).toEqual({
      both: ['pass', 'audited'],
      filesOnly: ['warn', 'notLoaded'],
      liveOnly: ['warn', 'notPersistent'],
      none: ['fail', 'notAudited'],
      blind: ['skipped', 'notVisible'],
    });
  });

  it('checks the drop-ins as well as the unit file, a watch on the drop-in directory covering them', () => {
    const fragmentOnly = [`-w ${FRAGMENT} -p wa`];
    const findings = runRule(rule, build(auditRules(fragmentOnly, fragmentOnly)));
    expect(summary(findings)).toEqual([
      [DROP_IN, 'fail', 'notAudited'],
      [FRAGMENT, 'pass', 'audited'],
    ]);
    expect(findingFor(findings, DROP_IN).message).toContain('the docker.service drop-in');
    const withDirectory = [...fragmentOnly, '-w /etc/systemd/system/docker.service.d -p wa'];
    expect(findingFor(runRule(rule, build(auditRules(withDirectory, withDirectory))), DROP_IN)).toMatchObject({ status: 'pass' });
  });

  it('follows the unit file where systemd found it, not a fixed path', () => {
    // Two distinct files here (no merged /usr): a rule on the one systemd does not use does not count.
    const units = [{ name: 'docker.service', fragmentPath: MERGED, dropIns: [], directives: {} }];
    const rules = [`-w ${FRAGMENT} -p wa`];
    const finding = findingFor(runRule(rule, build(auditRules(rules, rules), units)), MERGED);
    expect(finding).toMatchObject({ status: 'fail', messageId: 'notAudited' });
  });

  it('skips a unit that is not installed or is masked', () => {
    expect(summary(runRule(rule, build(auditRules([], []), [])))).toEqual([['docker.service', 'skipped', 'notPresent']]);
    const masked = [{ name: 'docker.service', fragmentPath: '/dev/null', dropIns: [], directives: {} }];
    const finding = findingFor(runRule(rule, build(auditRules([], []), masked)), 'docker.service');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notPresent' });
    expect(finding.message).toBe('the unit docker.service does not exist on this host (CIS 1.1.7)');
  });
});
