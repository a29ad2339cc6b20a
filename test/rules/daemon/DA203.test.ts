import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/daemon/DA203.js';
import { snap } from '../../../src/snapshot/builder.js';
import { runRule, summary } from '../../helpers/rule-tester.js';

describe('DA203 daemon-log-level', () => {
  it('passes the default level', () => {
    expect(summary(runRule(rule, snap().daemon({ settings: {} }).build()))).toEqual([['dockerd', 'pass', 'info']]);
  });
  it('fails debug, from the file or from --debug', () => {
    expect(summary(runRule(rule, snap().daemon({ settings: { 'log-level': 'debug' } }).build()))).toEqual([['dockerd', 'fail', 'other']]);
  });
  it('is skipped when the daemon configuration is not visible', () => {
    const findings = runRule(rule, snap().daemon({ configUnavailable: 'the daemon is remote' }).build());
    expect(summary(findings)).toEqual([['dockerd', 'skipped', '__skipped']]);
  });
});
