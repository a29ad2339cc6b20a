import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/host/DA111.js';
import { RELEASE_TABLE_DATE } from '../../../src/rules/host/data/docker-releases.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

function versions(engine: string, containerd: string, runc: string) {
  return snap()
    .daemon({
      version: {
        Version: engine,
        Components: [
          { Name: 'Engine', Version: engine },
          { Name: 'containerd', Version: containerd },
          { Name: 'runc', Version: runc },
        ],
      },
    })
    .build();
}

describe('DA111 docker-version-supported', () => {
  it('passes supported lines and states the table date', () => {
    const findings = runRule(rule, versions('29.1.3', 'v2.2.1', '1.5.0'));
    expect(summary(findings)).toEqual([
      ['containerd', 'pass', 'supported'],
      ['docker-engine', 'pass', 'supported'],
      ['runc', 'pass', 'supported'],
    ]);
    expect(findingFor(findings, 'docker-engine').message).toBe(`Docker Engine 29.1.3: the 29 line is supported (release table of ${RELEASE_TABLE_DATE})`);
  });

  it('fails upstream builds of lines that reached end of life, naming the date and the supported lines', () => {
    const findings = runRule(rule, versions('20.10.24', '1.6.20', '1.1.5'));
    expect(summary(findings)).toEqual([
      ['containerd', 'fail', 'endOfLife'],
      ['docker-engine', 'fail', 'endOfLife'],
      ['runc', 'fail', 'endOfLife'],
    ]);
    expect(findingFor(findings, 'docker-engine').message).toBe(
      `Docker Engine 20.10.24: the 20.10 line reached end of life on 2023-12-10 (release table of ${RELEASE_TABLE_DATE}); supported lines: 29`,
    );
    expect(findingFor(runRule(rule, versions('19.03.15', '1.2.13', '1.0.0')), 'docker-engine')).toMatchObject({ status: 'fail', messageId: 'endOfLife' });
  });

  it('warns for distribution builds of ended lines, which only the distribution patches', () => {
    // What Debian 12's docker.io reports.
    const findings = runRule(rule, versions('20.10.24+dfsg1', '1.6.20~ds1', '1.1.5+ds1'));
    expect(summary(findings)).toEqual([
      ['containerd', 'warn', 'distributionBuild'],
      ['docker-engine', 'warn', 'distributionBuild'],
      ['runc', 'warn', 'distributionBuild'],
    ]);
    expect(findingFor(findings, 'runc').message).toContain('security tracker');
  });

  it('warns for lines that only receive limited fixes', () => {
    const findings = runRule(rule, versions('29.0.4', '1.7.27', '1.3.3'));
    expect(findingFor(findings, 'containerd')).toMatchObject({ status: 'warn', messageId: 'limited' });
    expect(findingFor(findings, 'runc').message).toBe(
      `runc 1.3.3: the 1.3 line only receives high-severity security fixes until 2026-10-31 (release table of ${RELEASE_TABLE_DATE}); supported lines: 1.5`,
    );
  });

  it('leaves a version newer than the table to a person, and skips a version it cannot read', () => {
    const findings = runRule(rule, versions('30.0.0', 'devel', '1.5.1'));
    expect(findingFor(findings, 'docker-engine')).toMatchObject({ status: 'manual', messageId: 'newer' });
    expect(findingFor(findings, 'containerd')).toMatchObject({ status: 'skipped', messageId: 'unknownVersion' });
  });

  it('reads the engine version from Version when the daemon lists no components', () => {
    const old = snap().daemon({ version: { Version: '28.5.2', Components: undefined } }).build();
    const findings = runRule(rule, old);
    expect(findingFor(findings, 'docker-engine')).toMatchObject({ status: 'fail', messageId: 'endOfLife' });
    expect(findingFor(findings, 'runc')).toMatchObject({ status: 'skipped', messageId: 'unknownVersion' });
  });

  it('is skipped without a daemon', () => {
    expect(summary(runRule(rule, snap().daemonUnavailable('connect ENOENT').build()))).toEqual([['testhost', 'skipped', '__skipped']]);
  });
});
