import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/daemon/DA209.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

describe('DA209 daemon-userns-remap', () => {
  it('passes a daemon that reports user-namespace remapping, even when remote', () => {
    const snapshot = snap().daemon({ info: { SecurityOptions: ['name=seccomp,profile=default', 'name=userns'] }, configUnavailable: 'remote' }).build();
    expect(summary(runRule(rule, snapshot))).toEqual([['dockerd', 'pass', 'remapped']]);
  });

  it('passes a rootless daemon', () => {
    expect(summary(runRule(rule, snap().daemon({ info: { SecurityOptions: ['name=rootless'] } }).build()))).toEqual([['dockerd', 'pass', 'rootless']]);
  });

  it('fails a daemon without remapping', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ settings: {} }).build()), 'dockerd');
    expect(finding).toMatchObject({ ruleId: 'DA209', status: 'fail', messageId: 'notEnabled', severity: 'medium' });
  });

  it('fails with the reason when userns-remap is configured but not in effect', () => {
    const finding = findingFor(runRule(rule, snap().daemon({ settings: { 'userns-remap': 'default' } }).build()), 'dockerd');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'notApplied' });
    expect(finding.message).toContain('userns-remap is default (daemon.json)');
  });
});
