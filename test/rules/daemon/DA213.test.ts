import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/daemon/DA213.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

function withDriver(driver: string) {
  return runRule(rule, snap().daemon({ info: { LoggingDriver: driver }, configUnavailable: 'the daemon is remote' }).build());
}

describe('DA213 daemon-remote-logging', () => {
  it('passes drivers that ship logs to a collector', () => {
    for (const driver of ['syslog', 'gelf', 'fluentd', 'splunk']) {
      const finding = findingFor(withDriver(driver), 'dockerd');
      expect(finding).toMatchObject({ status: 'pass', messageId: 'remote' });
      expect(finding.message).toContain(driver);
    }
  });

  it('warns about drivers that keep logs on the host and names them', () => {
    for (const driver of ['json-file', 'local', 'journald']) {
      const finding = findingFor(withDriver(driver), 'dockerd');
      expect(finding).toMatchObject({ ruleId: 'DA213', status: 'warn', messageId: 'local' });
      expect(finding.message).toContain(`driver ${driver} keeps`);
    }
  });

  it('fails the none driver', () => {
    expect(summary(withDriver('none'))).toEqual([['dockerd', 'fail', 'none']]);
  });

  it('asks a person about a plugin driver', () => {
    const finding = findingFor(withDriver('loki'), 'dockerd');
    expect(finding).toMatchObject({ status: 'manual', messageId: 'plugin' });
    expect(finding.message).toContain('loki');
  });

  it('is skipped when info does not name the driver', () => {
    expect(summary(withDriver(''))).toEqual([['dockerd', 'skipped', 'notReported']]);
  });
});
