import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA502.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

const APPARMOR_HOST = { info: { SecurityOptions: ['name=apparmor', 'name=seccomp,profile=default'] } };

describe('DA502 container-apparmor', () => {
  it('is skipped for every container when the host runs no AppArmor', () => {
    const findings = runRule(rule, snap().container({ name: 'web', hostConfig: { SecurityOpt: ['apparmor=unconfined'] } }).build());
    expect(summary(findings)).toEqual([['web', 'skipped', 'noAppArmor']]);
  });

  it('fails unconfined containers, requested or recorded, in any state', () => {
    const findings = runRule(
      rule,
      snap()
        .daemon(APPARMOR_HOST)
        .container({ name: 'asked', state: 'exited', hostConfig: { SecurityOpt: ['apparmor=unconfined'] } })
        .container({ name: 'recorded' })
        .with((snapshot) => {
          if (Array.isArray(snapshot.containers)) (snapshot.containers[1] as { inspect: Record<string, unknown> }).inspect['AppArmorProfile'] = 'unconfined';
        })
        .build(),
    );
    const asked = findingFor(findings, 'asked');
    expect(asked).toMatchObject({ status: 'fail', messageId: 'unconfined', severity: 'high' });
    expect(asked.message).toContain('exited');
    expect(findingFor(findings, 'recorded')).toMatchObject({ status: 'fail', messageId: 'unconfined' });
  });

  it('fails a privileged container that names no profile', () => {
    const findings = runRule(rule, snap().daemon(APPARMOR_HOST).container({ name: 'priv', hostConfig: { Privileged: true } }).build());
    expect(summary(findings)).toEqual([['priv', 'fail', 'privileged']]);
  });

  it('passes the default profile and a custom one, naming them', () => {
    const findings = runRule(
      rule,
      snap()
        .daemon(APPARMOR_HOST)
        .container({ name: 'plain' })
        .container({ name: 'custom', hostConfig: { SecurityOpt: ['apparmor=my-profile'] } })
        .build(),
    );
    const plain = findingFor(findings, 'plain');
    expect(plain).toMatchObject({ status: 'pass', messageId: 'profile' });
    expect(plain.message).toContain('docker-default');
    expect(findingFor(findings, 'custom').message).toContain('my-profile');
  });

  it('still fails unconfined but skips the rest when the daemon was not seen', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'open', hostConfig: { SecurityOpt: ['apparmor=unconfined'] } })
        .container({ name: 'plain' })
        .with((snapshot) => {
          snapshot.daemon = { unavailable: true, reason: 'snapshot taken without the daemon' };
        })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['open', 'fail', 'unconfined'],
      ['plain', 'skipped', 'daemonUnknown'],
    ]);
  });
});

describe('DA502 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    security_opt: ["apparmor:unconfined"]',
      '  plain:',
      '    image: app:1.0',
      '    security_opt: ["apparmor:app-profile"]',
    ], { SecurityOptions: ['name=apparmor', 'name=seccomp,profile=default'] });
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA502',
        alias: 'container-apparmor',
        title: 'Containers run under an AppArmor profile',
        family: 'container',
        status: 'fail',
        severity: 'high',
        references: { cis: ['5.2'], checklist: ['POL-2'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'runs without AppArmor confinement (profile unconfined, requested with security_opt; state: defined)',
        messageId: 'unconfined',
        remediation: 'Drop apparmor=unconfined from --security-opt (security_opt); keep docker-default or load a stricter profile with apparmor_parser and pass --security-opt apparmor=<profile> (dockaudit slim IMAGE writes one from what the command of the image really does).',
      },
      {
        ruleId: 'DA502',
        alias: 'container-apparmor',
        title: 'Containers run under an AppArmor profile',
        family: 'container',
        status: 'pass',
        severity: 'high',
        references: { cis: ['5.2'], checklist: ['POL-2'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 5, column: 3 },
        message: 'AppArmor profile app-profile (requested with security_opt)',
        messageId: 'profile',
      },
    ]);
  });
});
