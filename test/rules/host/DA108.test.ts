import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/host/DA108.js';
import { snap } from '../../helpers/builder.js';
import type { HostSystemFacts } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { absent, auditOutcomes, auditRules, filesOf, present } from './helpers.js';

const DEFAULT = '/etc/docker/daemon.json';

function build(audit: HostSystemFacts['audit'], files = filesOf(present(DEFAULT))) {
  return snap().host({ files, audit }).build();
}

describe('DA108 audit-daemon-json', () => {
  it('reports daemon.json in every audit state', () => {
    expect(auditOutcomes((audit) => runRule(rule, build(audit)), DEFAULT, `-w ${DEFAULT} -p wa -k docker`)).toEqual({
      both: ['pass', 'audited'],
      filesOnly: ['warn', 'notLoaded'],
      liveOnly: ['warn', 'notPersistent'],
      none: ['fail', 'notAudited'],
      blind: ['skipped', 'notVisible'],
    });
  });

  it('counts a watch on /etc/docker, which records every file below it', () => {
    const rules = ['-w /etc/docker -p wa -k docker'];
    const finding = findingFor(runRule(rule, build(auditRules(rules, rules))), DEFAULT);
    expect(finding).toMatchObject({ status: 'pass', messageId: 'audited' });
    expect(finding.message).toContain('-w /etc/docker -p wa -k docker');
  });

  it('audits the file the daemon reads when --config-file moves it', () => {
    const moved = snap()
      .daemon({ settings: {} })
      .with((snapshot) => {
        if (!('unavailable' in snapshot.daemon) && !('unavailable' in snapshot.daemon.config)) snapshot.daemon.config.configFile.path = '/srv/conf/daemon.json';
      })
      .host({ files: filesOf(present('/srv/conf/daemon.json')), audit: auditRules([`-w ${DEFAULT} -p wa`], [`-w ${DEFAULT} -p wa`]) })
      .build();
    expect(summary(runRule(rule, moved))).toEqual([['/srv/conf/daemon.json', 'fail', 'notAudited']]);
  });

  it('skips a host without daemon.json', () => {
    expect(summary(runRule(rule, build(auditRules([], []), filesOf(absent(DEFAULT)))))).toEqual([[DEFAULT, 'skipped', 'notPresent']]);
  });
});
