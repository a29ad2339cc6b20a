import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA503.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

const SELINUX_HOST = { info: { SecurityOptions: ['name=selinux', 'name=seccomp,profile=default'] } };

describe('DA503 container-selinux', () => {
  it('is skipped when the daemon does not label containers', () => {
    const findings = runRule(rule, snap().container({ name: 'web' }).build());
    expect(summary(findings)).toEqual([['web', 'skipped', 'noSelinux']]);
  });

  it('fails label=disable and says when Docker added it for a host namespace', () => {
    const findings = runRule(
      rule,
      snap()
        .daemon(SELINUX_HOST)
        .container({ name: 'explicit', hostConfig: { SecurityOpt: ['label=disable'] } })
        .container({ name: 'hostpid', state: 'created', hostConfig: { PidMode: 'host', SecurityOpt: ['label=disable'] } })
        .build(),
    );
    const explicit = findingFor(findings, 'explicit');
    expect(explicit).toMatchObject({ status: 'fail', messageId: 'disabled' });
    expect(explicit.message).toContain('set explicitly');
    const hostPid = findingFor(findings, 'hostpid');
    expect(hostPid).toMatchObject({ status: 'fail', messageId: 'disabled' });
    expect(hostPid.message).toContain('pid: host');
    expect(hostPid.message).toContain('created');
  });

  it('fails an unconfined SELinux type and a privileged container', () => {
    const findings = runRule(
      rule,
      snap()
        .daemon(SELINUX_HOST)
        .container({ name: 'spc', hostConfig: { SecurityOpt: ['label=type:spc_t'] } })
        .container({ name: 'priv', hostConfig: { Privileged: true } })
        .build(),
    );
    const spc = findingFor(findings, 'spc');
    expect(spc).toMatchObject({ status: 'fail', messageId: 'unconfinedType' });
    expect(spc.message).toContain('spc_t');
    expect(findingFor(findings, 'priv')).toMatchObject({ status: 'fail', messageId: 'privileged' });
  });

  it('passes explicit options and the default label, naming them', () => {
    const findings = runRule(
      rule,
      snap()
        .daemon(SELINUX_HOST)
        .container({ name: 'levelled', hostConfig: { SecurityOpt: ['label=level:s0:c100,c200'] } })
        .container({ name: 'plain' })
        .with((snapshot) => {
          if (Array.isArray(snapshot.containers) && snapshot.containers[1]) {
            snapshot.containers[1].inspect['ProcessLabel'] = 'system_u:system_r:container_t:s0:c1,c2';
          }
        })
        .build(),
    );
    const levelled = findingFor(findings, 'levelled');
    expect(levelled).toMatchObject({ status: 'pass', messageId: 'options' });
    expect(levelled.message).toContain('label=level:s0:c100,c200');
    const plain = findingFor(findings, 'plain');
    expect(plain).toMatchObject({ status: 'pass', messageId: 'defaultLabel' });
    expect(plain.message).toContain('container_t:s0:c1,c2');
  });

  it('is skipped, except for an explicit opt-out, when the daemon was not seen', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'off', hostConfig: { SecurityOpt: ['label=disable'] } })
        .container({ name: 'plain' })
        .with((snapshot) => {
          snapshot.daemon = { unavailable: true, reason: 'offline snapshot' };
        })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['off', 'fail', 'disabled'],
      ['plain', 'skipped', 'daemonUnknown'],
    ]);
  });
});

describe('DA503 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    security_opt: ["label:disable"]',
      '  plain:',
      '    image: app:1.0',
      '    security_opt: ["label:level:s0:c100,c200"]',
    ], { SecurityOptions: ['name=selinux', 'name=seccomp,profile=default'] });
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA503',
        alias: 'container-selinux',
        title: 'Containers keep their SELinux separation',
        family: 'container',
        status: 'fail',
        severity: 'high',
        references: { cis: ['5.3'], checklist: ['POL-1'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'SELinux labelling is disabled (label=disable, set explicitly; state: defined)',
        messageId: 'disabled',
        remediation: 'Remove label=disable and label=type:spc_t from --security-opt (security_opt); where a different policy is wanted, set label=type:<confined type> or label=level:<level>.',
      },
      {
        ruleId: 'DA503',
        alias: 'container-selinux',
        title: 'Containers keep their SELinux separation',
        family: 'container',
        status: 'pass',
        severity: 'high',
        references: { cis: ['5.3'], checklist: ['POL-1'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 5, column: 3 },
        message: 'SELinux options set: label=level:s0:c100,c200',
        messageId: 'options',
      },
    ]);
  });
});
