import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/files/DA308.js';
import { snap } from '../../helpers/builder.js';
import type { FileFacts } from '../../../src/snapshot/host.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { absent, filesOf, present, unreadable } from './fixtures.js';

const PATH = '/etc/docker/certs.d/registry.example:5000/ca.crt';
const CERTS = '/etc/docker/certs.d';
const REGISTRY = '/etc/docker/certs.d/registry.example:5000';

function host(main: FileFacts) {
  return snap().host({ files: filesOf(present(CERTS, { type: 'directory', mode: 0o755 }), present(REGISTRY, { type: 'directory', mode: 0o755 }), main) }).build();
}

describe('DA308 registry-certs-mode', () => {
  it('passes 0444 and stricter modes', () => {
    const exact = findingFor(runRule(rule, host(present(PATH, { mode: 0o444 }))), PATH);
    expect(exact).toMatchObject({ ruleId: 'DA308', status: 'pass', messageId: 'modeOk', subject: { kind: 'host', name: PATH } });
    expect(exact.message).toBe(`${PATH} has mode 0444, within 0444`);
    expect(findingFor(runRule(rule, host(present(PATH, { mode: 0o440 }))), PATH)).toMatchObject({ status: 'pass', messageId: 'modeOk' });
  });

  it('fails a mode granting more, naming the mode and the extra bits', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { mode: 0o644 }))), PATH);
    expect(finding).toMatchObject({ ruleId: 'DA308', status: 'fail', messageId: 'tooOpen', severity: 'medium' });
    expect(finding.message).toBe(`${PATH} has mode 0644, expected 0444 or stricter (extra: owner write)`);
  });

  it('fails setuid, setgid and sticky bits, which no allowed mode includes', () => {
    const finding = findingFor(runRule(rule, host(present(PATH, { mode: 0o4444 }))), PATH);
    expect(finding).toMatchObject({ status: 'fail', messageId: 'tooOpen' });
    expect(finding.message).toContain('(extra: setuid)');
  });

  it('is skipped, not passed, when there is nothing at the path', () => {
    const finding = findingFor(runRule(rule, snap().host({ files: filesOf(absent(CERTS)) }).build()), '/etc/docker/certs.d');
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notPresent' });
    expect(finding.message).toBe('/etc/docker/certs.d is not present');
  });

  it('is skipped with the reason when the path could not be examined', () => {
    const finding = findingFor(runRule(rule, host(unreadable(PATH))), PATH);
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'notSeen' });
    expect(finding.message).toBe(`${PATH} could not be examined: EACCES: permission denied`);
  });

  it('is skipped when the host is not visible', () => {
    const findings = runRule(rule, snap().hostUnavailable('the host root /mnt/host is not mounted').build());
    expect(summary(findings)).toEqual([['testhost', 'skipped', '__skipped']]);
  });

  it('checks every file (certificates and keys) but not the directories', () => {
    const snapshot = snap()
      .host({
        files: filesOf(
          present(CERTS, { type: 'directory', mode: 0o755 }),
          present(REGISTRY, { type: 'directory', mode: 0o755 }),
          present(PATH, { mode: 0o444 }),
          present(`${REGISTRY}/client.cert`, { mode: 0o644 }),
          present(`${REGISTRY}/client.key`, { mode: 0o400 }),
        ),
      })
      .build();
    expect(summary(runRule(rule, snapshot))).toEqual([
      [`${REGISTRY}/client.cert`, 'fail', 'tooOpen'],
      [PATH, 'pass', 'modeOk'],
      [`${REGISTRY}/client.key`, 'pass', 'modeOk'],
    ]);
  });

  it('is skipped when certs.d holds no file', () => {
    const snapshot = snap().host({ files: filesOf(present(CERTS, { type: 'directory', mode: 0o755 })) }).build();
    const finding = findingFor(runRule(rule, snapshot), CERTS);
    expect(finding).toMatchObject({ status: 'skipped', messageId: 'noCertificates' });
    expect(finding.message).toBe('/etc/docker/certs.d holds no certificate file');
  });

  it('judges the file a symbolic link leads to, not the link', () => {
    const link = `${REGISTRY}/ca.pem`;
    const target = present('/etc/ssl/private/registry-ca.pem', { mode: 0o644 });
    const snapshot = snap()
      .host({ files: filesOf(present(CERTS, { type: 'directory', mode: 0o755 }), present(link, { type: 'symlink', mode: 0o777, target })) })
      .build();
    const finding = findingFor(runRule(rule, snapshot), link);
    expect(finding).toMatchObject({ status: 'fail', messageId: 'tooOpen' });
    expect(finding.message).toBe(`${link} -> /etc/ssl/private/registry-ca.pem has mode 0644, expected 0444 or stricter (extra: owner write)`);
    const unresolved = snap()
      .host({ files: filesOf(present(CERTS, { type: 'directory', mode: 0o755 }), present(link, { type: 'symlink', mode: 0o777 })) })
      .build();
    expect(findingFor(runRule(rule, unresolved), link)).toMatchObject({ status: 'skipped', messageId: 'notSeen' });
  });
});
