import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/daemon/DA201.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

describe('DA201 daemon-rootless', () => {
  it('passes a rootless daemon', () => {
    const findings = runRule(rule, snap().daemon({ info: { SecurityOptions: ['name=seccomp,profile=default', 'name=rootless'] } }).build());
    expect(summary(findings)).toEqual([['dockerd', 'pass', 'rootless']]);
  });

  it('asks a person to decide for a daemon running as root, with the userns fact', () => {
    const plain = findingFor(runRule(rule, snap().build()), 'dockerd');
    expect(plain).toMatchObject({ ruleId: 'DA201', status: 'manual', messageId: 'root', subject: { kind: 'daemon' } });
    expect(plain.message).toContain('user-namespace remapping not enabled');

    const remapped = findingFor(runRule(rule, snap().daemon({ info: { SecurityOptions: ['name=userns'] } }).build()), 'dockerd');
    expect(remapped).toMatchObject({ status: 'manual', messageId: 'root' });
    expect(remapped.message).toContain('user-namespace remapping enabled');
  });

  it('works from info alone, without the daemon configuration', () => {
    const findings = runRule(rule, snap().daemon({ configUnavailable: 'the daemon is remote', info: { SecurityOptions: ['name=rootless'] } }).build());
    expect(summary(findings)).toEqual([['dockerd', 'pass', 'rootless']]);
  });

  it('is skipped when the daemon is unreachable', () => {
    expect(summary(runRule(rule, snap().daemonUnavailable('connect ENOENT').build()))).toEqual([['dockerd', 'skipped', '__skipped']]);
  });
});
