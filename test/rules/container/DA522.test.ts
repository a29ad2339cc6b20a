import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA522.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA522 container-seccomp', () => {
  it('fails seccomp=unconfined and privileged containers', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'open', state: 'exited', hostConfig: { SecurityOpt: ['seccomp=unconfined'] } })
        .container({ name: 'priv', hostConfig: { Privileged: true } })
        .build(),
    );
    const open = findingFor(findings, 'open');
    expect(open).toMatchObject({ status: 'fail', messageId: 'unconfined' });
    expect(open.message).toContain('exited');
    expect(findingFor(findings, 'priv')).toMatchObject({ status: 'fail', messageId: 'privileged' });
  });

  it("passes the daemon's default profile and a container's own profile", () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'plain' })
        .container({ name: 'own', hostConfig: { SecurityOpt: ['seccomp={"defaultAction":"SCMP_ACT_ERRNO"}'] } })
        .build(),
    );
    const plain = findingFor(findings, 'plain');
    expect(plain).toMatchObject({ status: 'pass', messageId: 'inherited' });
    expect(plain.message).toContain('default');
    const own = findingFor(findings, 'own');
    expect(own).toMatchObject({ status: 'pass', messageId: 'custom' });
    expect(own.message).not.toContain('SCMP_ACT_ERRNO');
  });

  it('fails containers that inherit an unconfined daemon default or run on a daemon without seccomp', () => {
    const unconfined = runRule(rule, snap().daemon({ info: { SecurityOptions: ['name=seccomp,profile=unconfined'] } }).container({ name: 'a' }).build());
    expect(summary(unconfined)).toEqual([['a', 'fail', 'daemonUnconfined']]);
    const absent = runRule(rule, snap().daemon({ info: { SecurityOptions: ['name=apparmor'] } }).container({ name: 'b' }).build());
    expect(summary(absent)).toEqual([['b', 'fail', 'hostWithoutSeccomp']]);
  });

  it('passes a container that does not disable seccomp when the daemon was not seen, saying so', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'plain' })
        .with((snapshot) => {
          snapshot.daemon = { unavailable: true, reason: 'offline snapshot' };
        })
        .build(),
    );
    expect(summary(findings)).toEqual([['plain', 'pass', 'notDisabled']]);
  });
});

describe('DA522 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    security_opt: ["seccomp:unconfined"]',
      '  plain:',
      '    image: app:1.0',
      '    security_opt: ["seccomp:/etc/docker/app.json"]',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA522',
        alias: 'container-seccomp',
        title: 'The seccomp profile is not disabled',
        family: 'container',
        status: 'fail',
        severity: 'high',
        references: { cis: ['5.22'], checklist: ['PERF-5'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'runs without seccomp filtering (seccomp=unconfined; state: defined)',
        messageId: 'unconfined',
        remediation: 'Remove seccomp=unconfined from --security-opt (security_opt) and --privileged; if a program needs one more system call, use a copy of the default profile with that call allowed (--security-opt seccomp=profile.json), or a profile of only the calls it makes (dockaudit slim IMAGE writes one and proves the command still runs under it).',
      },
      {
        ruleId: 'DA522',
        alias: 'container-seccomp',
        title: 'The seccomp profile is not disabled',
        family: 'container',
        status: 'pass',
        severity: 'high',
        references: { cis: ['5.22'], checklist: ['PERF-5'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 5, column: 3 },
        message: 'runs under a seccomp profile of its own',
        messageId: 'custom',
      },
    ]);
  });
});
