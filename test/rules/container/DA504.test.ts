import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA504.js';
import { snap } from '../../helpers/builder.js';
import { runRule, summary } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA504 container-capabilities', () => {
  it('fails dangerous added capabilities, whatever their spelling, and warns about the missing drop', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'admin', state: 'exited', hostConfig: { CapAdd: ['cap_sys_admin', 'NET_BIND_SERVICE', 'CAP_SYS_PTRACE'] } })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['admin', 'fail', 'dangerousAdded'],
      ['admin', 'warn', 'noDropAll'],
    ]);
    const [dangerous, noDrop] = findings;
    expect(dangerous?.message).toContain('SYS_ADMIN, SYS_PTRACE');
    expect(dangerous?.message).not.toContain('NET_BIND_SERVICE');
    expect(dangerous?.message).toContain('exited');
    expect(noDrop?.severity).toBe('low');
  });

  it('fails ALL even when everything was dropped first', () => {
    const findings = runRule(rule, snap().container({ name: 'all', hostConfig: { CapDrop: ['ALL'], CapAdd: ['ALL'] } }).build());
    expect(summary(findings)).toEqual([['all', 'fail', 'dangerousAdded']]);
    expect(findings[0]?.message).toContain('ALL');
  });

  it('warns about a default container that keeps the default set', () => {
    const findings = runRule(rule, snap().container({ name: 'plain' }).build());
    expect(summary(findings)).toEqual([['plain', 'warn', 'noDropAll']]);
    expect(findings[0]?.message).toContain('keeps the default set (dropped: none)');
  });

  it('passes drop ALL with harmless additions, naming them', () => {
    const findings = runRule(rule, snap().container({ name: 'tight', hostConfig: { CapDrop: ['all'], CapAdd: ['NET_BIND_SERVICE'] } }).build());
    expect(summary(findings)).toEqual([['tight', 'pass', 'restricted']]);
    expect(findings[0]?.message).toContain('NET_BIND_SERVICE');
  });

  it('fails each dangerous capability on its own, after drop ALL', () => {
    const dangerous = ['ALL', 'AUDIT_CONTROL', 'BPF', 'CHECKPOINT_RESTORE', 'DAC_READ_SEARCH', 'LINUX_IMMUTABLE', 'MAC_ADMIN', 'MAC_OVERRIDE', 'NET_ADMIN', 'PERFMON', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_MODULE', 'SYS_PTRACE', 'SYS_RAWIO', 'SYS_RESOURCE', 'SYS_TIME', 'SYSLOG'];
    for (const capability of dangerous) {
      const findings = runRule(rule, snap().container({ name: 'c', state: 'running', hostConfig: { CapDrop: ['ALL'], CapAdd: [` cap_${capability.toLowerCase()} `] } }).build());
      expect(summary(findings), capability).toEqual([['c', 'fail', 'dangerousAdded']]);
      expect(findings[0]?.message, capability).toBe(`adds dangerous capabilities: ${capability} (state: running)`);
    }
  });

  it('passes capabilities that stay inside the container, listing each once', () => {
    const harmless = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'KILL', 'NET_BIND_SERVICE', 'NET_RAW', 'SETGID', 'SETUID', 'SYS_CHROOT', 'SYS_NICE', 'AUDIT_WRITE', 'IPC_LOCK'];
    const findings = runRule(rule, snap().container({ name: 'c', hostConfig: { CapDrop: ['ALL', 'all'], CapAdd: [...harmless, 'chown'] } }).build());
    expect(summary(findings)).toEqual([['c', 'pass', 'restricted']]);
    expect(findings[0]?.message).toBe(`drops ALL capabilities; adds back: ${harmless.join(', ')}`);
  });

  it('names what was added and dropped when ALL is not dropped', () => {
    const findings = runRule(rule, snap().container({ name: 'c', hostConfig: { CapDrop: ['NET_RAW', 'cap_mknod'], CapAdd: ['CHOWN', 'CHOWN'] } }).build());
    expect(summary(findings)).toEqual([['c', 'warn', 'noDropAll']]);
    expect(findings[0]?.message).toBe('does not drop ALL capabilities first: keeps the default set plus CHOWN (dropped: NET_RAW, MKNOD)');
  });

  it('fails a privileged container once', () => {
    const findings = runRule(rule, snap().container({ name: 'priv', hostConfig: { Privileged: true } }).build());
    expect(summary(findings)).toEqual([['priv', 'fail', 'privileged']]);
  });

  it('is skipped with the reason when containers could not be listed', () => {
    const findings = runRule(rule, snap().daemonUnavailable('connect ENOENT /var/run/docker.sock').build());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 'DA504', status: 'skipped', messageId: '__skipped', subject: { kind: 'container' } });
    expect(findings[0]?.message).toContain('ENOENT');
  });
});

describe('DA504 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    cap_add: [SYS_ADMIN]',
      '  plain:',
      '    image: app:1.0',
      '    cap_drop: [ALL]',
      '    cap_add: [NET_BIND_SERVICE]',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA504',
        alias: 'container-capabilities',
        title: 'Container capabilities are restricted',
        family: 'container',
        status: 'fail',
        severity: 'high',
        references: { cis: ['5.4'], checklist: ['PERF-5'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'adds dangerous capabilities: SYS_ADMIN (state: defined)',
        messageId: 'dangerousAdded',
        remediation: 'Remove the dangerous capabilities from --cap-add (cap_add); start from --cap-drop ALL (cap_drop: [ALL]) and add back only what the program uses, such as NET_BIND_SERVICE.',
      },
      {
        ruleId: 'DA504',
        alias: 'container-capabilities',
        title: 'Container capabilities are restricted',
        family: 'container',
        status: 'warn',
        severity: 'low',
        references: { cis: ['5.4'], checklist: ['PERF-5'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 2, column: 3 },
        message: 'does not drop ALL capabilities first: keeps the default set plus SYS_ADMIN (dropped: none)',
        messageId: 'noDropAll',
        remediation: 'Remove the dangerous capabilities from --cap-add (cap_add); start from --cap-drop ALL (cap_drop: [ALL]) and add back only what the program uses, such as NET_BIND_SERVICE.',
      },
      {
        ruleId: 'DA504',
        alias: 'container-capabilities',
        title: 'Container capabilities are restricted',
        family: 'container',
        status: 'pass',
        severity: 'high',
        references: { cis: ['5.4'], checklist: ['PERF-5'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 5, column: 3 },
        message: 'drops ALL capabilities; adds back: NET_BIND_SERVICE',
        messageId: 'restricted',
      },
    ]);
  });
});
