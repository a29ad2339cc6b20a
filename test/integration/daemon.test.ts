/**
 * Daemon rules against the real daemon. The expected status is worked out from Docker's own
 * view of the daemon (`docker info`, the default bridge), so the test holds for the plain
 * dockerd .ci/run starts and for a differently configured one alike.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../scripts/testbed/docker.mjs';
import { listRules, liveAudit, type ReportFinding, type ReportJson } from './scenario.js';

interface DockerInfo {
  Driver: string;
  ExperimentalBuild: boolean;
  LiveRestoreEnabled: boolean;
  SecurityOptions: string[];
  Swarm: { LocalNodeState: string };
}

let report: ReportJson;
let info: DockerInfo;
let iccOnDefaultBridge: string;

function daemonFindings(ruleId: string): ReportFinding[] {
  return report.findings.filter((finding) => finding.ruleId === ruleId && finding.subject.kind === 'daemon');
}

function expectDaemon(ruleId: string, status: string, messageId: string): void {
  const findings = daemonFindings(ruleId);
  const seen = findings.map((finding) => `${finding.status} ${finding.messageId}: ${finding.message}`).join('\n');
  expect(findings.some((finding) => finding.status === status && finding.messageId === messageId), seen || `no ${ruleId} finding`).toBe(true);
}

function hasSecurityOption(name: string): boolean {
  return info.SecurityOptions.some((option) => option.split(',').includes(`name=${name}`));
}

describe('daemon rules on the real daemon', () => {
  beforeAll(async () => {
    ({ report } = await liveAudit());
    info = JSON.parse(await docker(['info', '--format', '{{json .}}'])) as DockerInfo;
    iccOnDefaultBridge = await docker(['network', 'inspect', 'bridge', '--format', '{{index .Options "com.docker.network.bridge.enable_icc"}}']);
  });

  it('evaluates every daemon rule once on the daemon', async () => {
    const daemonRules = (await listRules()).filter((rule) => rule.family === 'daemon').map((rule) => rule.id);
    expect(daemonRules.length).toBeGreaterThan(0);
    const missing = daemonRules.filter((ruleId) => daemonFindings(ruleId).length === 0);
    expect(missing).toEqual([]);
    const names = new Set(report.findings.filter((finding) => finding.subject.kind === 'daemon').map((finding) => finding.subject.name));
    expect([...names]).toEqual(['dockerd']);
  });

  it('DA202 follows enable_icc on the default bridge', () => {
    if (iccOnDefaultBridge === 'false') expectDaemon('DA202', 'pass', 'bridgeRestricted');
    else expectDaemon('DA202', 'fail', 'bridgeOpen');
  });

  it('DA206 follows the storage driver', () => {
    expect(info.Driver).not.toBe('aufs');
    expect(daemonFindings('DA206').every((finding) => finding.status === 'pass')).toBe(true);
  });

  it('DA209 follows user-namespace remapping', () => {
    if (hasSecurityOption('userns')) expect(daemonFindings('DA209').every((finding) => finding.status === 'pass')).toBe(true);
    else expectDaemon('DA209', 'fail', 'notEnabled');
  });

  it('DA214 follows the no-new-privileges default', () => {
    if (hasSecurityOption('no-new-privileges')) expect(daemonFindings('DA214').every((finding) => finding.status === 'pass')).toBe(true);
    else expectDaemon('DA214', 'fail', 'disabled');
  });

  it('DA215 follows live restore (which swarm mode rules out)', () => {
    if (info.LiveRestoreEnabled) expectDaemon('DA215', 'pass', 'enabled');
    else if (info.Swarm.LocalNodeState === 'active') expectDaemon('DA215', 'info', 'swarm');
    else expectDaemon('DA215', 'fail', 'disabled');
  });

  it('DA218 follows experimental features', () => {
    if (info.ExperimentalBuild) expect(daemonFindings('DA218').some((finding) => finding.status !== 'pass')).toBe(true);
    else expectDaemon('DA218', 'pass', 'stable');
  });

  it('DA501 follows the swarm state', () => {
    if (info.Swarm.LocalNodeState === 'inactive') expectDaemon('DA501', 'pass', 'inactive');
    else expect(daemonFindings('DA501').some((finding) => finding.status === 'manual')).toBe(true);
  });
});
