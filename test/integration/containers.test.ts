/**
 * Container rules against real containers: for each scenario container, the (rule, status,
 * message id) the real CLI must report for it; and the hardened container passes every
 * container rule that can pass on this host.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { C, findingsFor, listRules, liveAudit, type ReportFinding, type ReportJson, type Role } from './scenario.js';

type Expectation = [ruleId: string, status: string, messageId?: string];

/**
 * What each scenario container must show. A `pass` expectation also means no other status
 * for that rule on that container; other statuses need at least one matching finding.
 */
const EXPECTED: Record<Role, Expectation[]> = {
  plain: [
    ['DA504', 'warn', 'noDropAll'],
    ['DA505', 'pass', 'notPrivileged'],
    ['DA506', 'pass', 'none'],
    ['DA507', 'pass', 'noSshd'],
    ['DA508', 'pass', 'none'],
    ['DA509', 'pass', 'none'],
    ['DA510', 'pass', 'notHost'],
    ['DA511', 'fail', 'unlimited'],
    ['DA512', 'fail', 'unbounded'],
    ['DA513', 'fail', 'writable'],
    ['DA514', 'pass', 'noPorts'],
    ['DA515', 'pass', 'noRestart'],
    ['DA516', 'pass', 'notHost'],
    ['DA517', 'pass', 'notHost'],
    ['DA518', 'pass', 'none'],
    ['DA519', 'pass', 'defaults'],
    ['DA520', 'pass', 'notShared'],
    ['DA521', 'pass', 'notHost'],
    ['DA522', 'pass', 'inherited'],
    ['DA525', 'pass', 'default'],
    ['DA526', 'fail', 'notSet'],
    ['DA527', 'fail', 'none'],
    ['DA528', 'pass', 'current'],
    ['DA529', 'fail', 'unlimited'],
    ['DA530', 'fail', 'defaultBridge'],
    ['DA532', 'pass', 'notMounted'],
    ['DA533', 'fail', 'notSet'],
    ['DA550', 'pass', 'notDatabase'],
    ['DA551', 'fail', 'noMemoryLimit'],
    ['DA553', 'pass', 'defaults'],
    ['DA554', 'fail', 'uncapped'],
    ['DA555', 'pass', 'stable'],
    // The log-shipper container reads /var/lib/docker/containers.
    ['DA556', 'pass', 'shipper'],
    ['DA557', 'pass', 'notRotated'],
    // Built here, never pulled: no repository digest exists for any test image.
    ['DA558', 'warn', 'noDigest'],
    ['DA559', 'warn', 'tagOnly'],
  ],
  hostNetwork: [
    ['DA510', 'fail', 'host'],
    ['DA530', 'pass', 'otherNetworks'],
    ['DA508', 'skipped', 'hostNetwork'],
    ['DA509', 'skipped', 'hostNetwork'],
    ['DA514', 'skipped', 'hostNetwork'],
  ],
  hostPid: [['DA516', 'fail', 'host']],
  hostIpc: [['DA517', 'fail', 'host']],
  hostUts: [['DA521', 'fail', 'host']],
  // The socket is DA532's (critical); DA506 leaves it out so it is not counted twice.
  dockerSocket: [
    ['DA532', 'fail', 'mounted'],
    ['DA506', 'pass', 'none'],
  ],
  etcMount: [
    ['DA506', 'fail', 'writable'],
    ['DA513', 'fail', 'writable'],
  ],
  capAdd: [
    ['DA504', 'fail', 'dangerousAdded'],
    ['DA505', 'pass', 'notPrivileged'],
  ],
  privileged: [
    ['DA505', 'fail', 'privileged'],
    ['DA504', 'fail', 'privileged'],
    ['DA518', 'fail', 'privileged'],
    ['DA522', 'fail', 'privileged'],
    // Created, never started: there are no processes to read.
    ['DA507', 'skipped', 'notRunning'],
  ],
  privilegedPort: [
    ['DA508', 'fail', 'privilegedPorts'],
    ['DA514', 'fail', 'allInterfaces'],
    // busybox declares no EXPOSE, so 8080 is published without being declared.
    ['DA509', 'warn', 'notExposed'],
    ['DA550', 'pass', 'notDatabase'],
  ],
  databaseLocal: [
    ['DA550', 'pass', 'loopbackOnly'],
    ['DA514', 'pass', 'specific'],
  ],
  swapUnlimited: [
    ['DA511', 'pass', 'limited'],
    ['DA551', 'fail', 'unlimited'],
  ],
  oomKillDisabled: [
    ['DA553', 'fail', 'disabledWithoutLimit'],
    ['DA511', 'fail', 'unlimited'],
  ],
  restartAlways: [
    ['DA515', 'fail', 'unbounded'],
    ['DA555', 'pass', 'stable'],
  ],
  seccompUnconfined: [['DA522', 'fail', 'unconfined']],
  noLogging: [
    ['DA556', 'fail', 'noLogs'],
    ['DA159', 'fail', 'discarded'],
    ['DA554', 'pass', 'notFileDriver'],
    ['DA557', 'info', 'noLogs'],
  ],
  ulimitOverride: [['DA519', 'manual', 'overridden']],
  usernsHost: [['DA531', 'fail', 'host']],
  staleImage: [['DA528', 'fail', 'outdated']],
  // Its restart count keeps growing while the tests run, so DA555 (default threshold 10) is
  // asserted in cli.test.ts with the threshold lowered by a config file.
  restartLoop: [['DA515', 'fail', 'unbounded']],
  logSingleFile: [
    ['DA554', 'pass', 'capped'],
    ['DA557', 'warn', 'singleFile'],
  ],
  logShipper: [['DA506', 'fail', 'readOnly']],
  // Published on every interface, with no allow-list configured: a person decides.
  databasePublic: [
    ['DA550', 'fail', 'exposed'],
    ['DA514', 'fail', 'allInterfaces'],
    ['DA160', 'manual', 'reachable'],
  ],
  unhealthy: [['DA527', 'fail', 'unhealthy']],
  sshd: [['DA507', 'fail', 'sshd']],
  hardened: [
    ['DA504', 'pass', 'restricted'],
    ['DA511', 'pass', 'limited'],
    ['DA512', 'pass', 'bounded'],
    ['DA513', 'pass', 'readOnly'],
    ['DA514', 'pass', 'specific'],
    ['DA515', 'pass', 'bounded'],
    ['DA526', 'pass', 'container'],
    ['DA527', 'pass', 'checked'],
    ['DA529', 'pass', 'limited'],
    ['DA530', 'pass', 'otherNetworks'],
    ['DA532', 'pass', 'notMounted'],
    ['DA533', 'pass', 'nonRoot'],
    ['DA551', 'pass', 'noSwap'],
    ['DA553', 'pass', 'defaults'],
    ['DA554', 'pass', 'capped'],
    ['DA556', 'pass', 'shipper'],
    ['DA557', 'pass', 'rotated'],
    ['DA159', 'pass', 'collected'],
  ],
};

/**
 * Container rules the hardened container cannot pass on this host, with the status it gets
 * instead and why. Every other container rule must report `pass` for it.
 */
const HARDENED_EXCEPTIONS: Record<string, { status: string; reason: string }> = {
  DA502: { status: 'skipped', reason: 'the kernel here has no AppArmor, so no profile can be applied or checked' },
  DA503: { status: 'skipped', reason: 'the daemon here does not run SELinux' },
  DA509: { status: 'manual', reason: 'whether a published port is needed is for a person to decide, even when it matches EXPOSE' },
  DA531: { status: 'info', reason: 'the daemon here runs without userns-remap, so every container shares the host user namespace' },
  DA552: { status: 'info', reason: 'runc here ignores kernel memory limits, so the control does not apply' },
  DA558: { status: 'warn', reason: 'there is no registry here: a locally built image never has a repository digest' },
  DA559: { status: 'warn', reason: 'without a repository digest the image can only be referenced by tag' },
};

function describeFindings(findings: ReportFinding[]): string {
  return findings.map((finding) => `${finding.ruleId} ${finding.status} ${finding.messageId}: ${finding.message}`).join('\n');
}

describe('container rules on the scenario containers', () => {
  let report: ReportJson;

  beforeAll(async () => {
    ({ report } = await liveAudit());
  });

  for (const [role, expectations] of Object.entries(EXPECTED) as [Role, Expectation[]][]) {
    const name = C[role].name;
    for (const [ruleId, status, messageId] of expectations) {
      it(`${name}: ${ruleId} ${status}${messageId ? ` (${messageId})` : ''}`, () => {
        const findings = findingsFor(report, name).filter((finding) => finding.ruleId === ruleId);
        const context = `findings of ${ruleId} for ${name}:\n${describeFindings(findings)}`;
        expect(findings.length, context).toBeGreaterThan(0);
        const matching = findings.filter((finding) => finding.status === status && (messageId === undefined || finding.messageId === messageId));
        expect(matching.length, context).toBeGreaterThan(0);
        if (status === 'pass') expect(findings.every((finding) => finding.status === 'pass'), context).toBe(true);
        for (const finding of findings) expect(finding.subject.kind).toBe('container');
      });
    }
  }

  it(`${C.hardened.name} passes every container rule except the listed host limitations`, async () => {
    const containerRules = new Set((await listRules()).filter((rule) => rule.family === 'container').map((rule) => rule.id));
    const findings = findingsFor(report, C.hardened.name).filter((finding) => containerRules.has(finding.ruleId));
    expect(findings.length).toBeGreaterThan(0);
    const unexpected = findings.filter((finding) => {
      const exception = HARDENED_EXCEPTIONS[finding.ruleId];
      return exception ? finding.status !== exception.status : finding.status !== 'pass';
    });
    expect(unexpected, describeFindings(unexpected)).toEqual([]);
  });

  it(`${C.hardened.name} has no failing finding from any rule`, () => {
    const failing = findingsFor(report, C.hardened.name).filter((finding) => finding.status === 'fail');
    expect(failing, describeFindings(failing)).toEqual([]);
  });
});
