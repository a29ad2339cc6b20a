import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/host/DA103.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { absent, auditRules, filesOf, present } from './helpers.js';

const DOCKERD = '/usr/sbin/dockerd';
const WATCH = '-w /usr/sbin/dockerd -p wa -k docker';

function host(audit: ReturnType<typeof auditRules>, extra: { files?: ReturnType<typeof filesOf>; binaries?: Record<string, string> } = {}) {
  return snap()
    .host({ binaries: extra.binaries ?? { dockerd: DOCKERD }, files: extra.files ?? filesOf(present(DOCKERD, { mode: 0o755 })), audit })
    .build();
}

describe('DA103 audit-dockerd', () => {
  it('passes a rule on the binary where it really is, loaded and persistent', () => {
    const finding = findingFor(runRule(rule, host(auditRules([WATCH], ['-w /usr/sbin/dockerd -k docker']))), DOCKERD);
    expect(finding).toMatchObject({ ruleId: 'DA103', status: 'pass', messageId: 'audited' });
    expect(finding.message).toContain('/etc/audit/rules.d/docker.rules (-w /usr/sbin/dockerd -k docker)');
    expect(finding.message).toContain('CIS 1.1.3');
  });

  it('fails a rule on the usual /usr/bin path when Debian puts dockerd in /usr/sbin', () => {
    const finding = findingFor(runRule(rule, host(auditRules(['-w /usr/bin/dockerd -k docker'], ['-w /usr/bin/dockerd -k docker']))), DOCKERD);
    expect(finding).toMatchObject({ status: 'fail', messageId: 'notAudited' });
    expect(finding.message).toContain('/usr/sbin/dockerd');
    expect(finding.message).toContain('searched the live rule set and /etc/audit/rules.d/docker.rules');
  });

  it('counts a watch on a directory above the binary, not a rule that records only reads or executions', () => {
    expect(summary(runRule(rule, host(auditRules(['-w /usr/sbin -p wa'], [])))).map(([, status]) => status)).toEqual(['warn']);
    const readOnly = findingFor(runRule(rule, host(auditRules(['-w /usr/sbin/dockerd -p rx'], ['-w /usr/sbin/dockerd -p x']))), DOCKERD);
    expect(readOnly).toMatchObject({ status: 'fail', messageId: 'notAudited' });
  });

  it('warns about a rule file that is not loaded, and a loaded rule that no file keeps', () => {
    expect(summary(runRule(rule, host(auditRules([], [WATCH]))))).toEqual([[DOCKERD, 'warn', 'notLoaded']]);
    expect(summary(runRule(rule, host(auditRules([WATCH], []))))).toEqual([[DOCKERD, 'warn', 'notPersistent']]);
  });

  it('passes a persistent rule when the live set cannot be seen, and says so', () => {
    const finding = findingFor(runRule(rule, host(auditRules('auditctl is not installed', [WATCH]))), DOCKERD);
    expect(finding).toMatchObject({ status: 'pass', messageId: 'audited' });
    expect(finding.message).toContain('the live rule set is not visible: auditctl is not installed');
  });

  it('fails when the only visible rule set lacks the rule, and skips when no rule set is visible', () => {
    const noFiles = findingFor(runRule(rule, host(auditRules('auditctl is not installed', []))), DOCKERD);
    expect(noFiles).toMatchObject({ status: 'fail', messageId: 'notAudited' });
    expect(noFiles.message).toContain('the live rule set is not visible: auditctl is not installed');
    const blind = findingFor(runRule(rule, host(auditRules('auditctl failed: You must be root', '/etc/audit/rules.d: permission denied (EACCES)'))), DOCKERD);
    expect(blind).toMatchObject({ status: 'skipped', messageId: 'notVisible' });
    expect(blind.message).toContain('You must be root');
  });

  it('compares resolved paths: a watch on a link does not audit the file it leads to', () => {
    const files = filesOf(
      present('/usr/bin/dockerd', { type: 'symlink', realPath: '/usr/libexec/docker/dockerd', target: present('/usr/libexec/docker/dockerd') }),
      present('/usr/libexec/docker/dockerd'),
    );
    const binaries = { dockerd: '/usr/bin/dockerd' };
    const onLink = findingFor(runRule(rule, host(auditRules(['-w /usr/bin/dockerd -p wa'], ['-w /usr/bin/dockerd -p wa']), { files, binaries })), '/usr/bin/dockerd');
    expect(onLink).toMatchObject({ status: 'fail', messageId: 'notAudited' });
    expect(onLink.message).toContain('/usr/bin/dockerd (/usr/libexec/docker/dockerd)');
    const onFile = runRule(rule, host(auditRules(['-w /usr/libexec/docker/dockerd'], ['-w /usr/libexec/docker/dockerd']), { files, binaries }));
    expect(summary(onFile)).toEqual([['/usr/bin/dockerd', 'pass', 'audited']]);
  });

  it('skips a binary that is not on this host, naming it', () => {
    const missing = findingFor(runRule(rule, host(auditRules([], []), { binaries: {}, files: {} })), 'dockerd');
    expect(missing).toMatchObject({ status: 'skipped', messageId: 'notFound' });
    const gone = findingFor(runRule(rule, host(auditRules([], []), { binaries: { dockerd: '/opt/dockerd' }, files: filesOf(absent('/opt/dockerd')) })), '/opt/dockerd');
    expect(gone).toMatchObject({ status: 'skipped', messageId: 'notPresent' });
  });

  it('is skipped when the host was not visible', () => {
    const findings = runRule(rule, snap().hostUnavailable('the daemon at tcp://10.0.0.5:2376 is not on this machine').build());
    expect(summary(findings)).toEqual([['testhost', 'skipped', '__skipped']]);
  });
});
