import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA526.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA526 container-no-new-privileges', () => {
  it('passes the option on the container, in either spelling, and fails its absence', () => {
    const findings = runRule(
      rule,
      snap()
        .daemon({ settings: {} })
        .container({ name: 'bare', hostConfig: { SecurityOpt: ['no-new-privileges'] } })
        .container({ name: 'valued', hostConfig: { SecurityOpt: ['no-new-privileges:true'] } })
        .container({ name: 'none', state: 'exited' })
        .build(),
    );
    expect(findingFor(findings, 'bare')).toMatchObject({ status: 'pass', messageId: 'container' });
    expect(findingFor(findings, 'valued')).toMatchObject({ status: 'pass', messageId: 'container' });
    const none = findingFor(findings, 'none');
    expect(none).toMatchObject({ status: 'fail', messageId: 'notSet' });
    expect(none.message).toContain('exited');
  });

  it('passes through the daemon default, from daemon.json or from the daemon security options', () => {
    const fromConfig = runRule(rule, snap().daemon({ settings: { 'no-new-privileges': true } }).container({ name: 'a' }).build());
    expect(summary(fromConfig)).toEqual([['a', 'pass', 'daemonDefault']]);
    expect(fromConfig[0]?.message).toContain('daemon configuration');
    const fromInfo = runRule(
      rule,
      snap()
        .daemon({ info: { SecurityOptions: ['name=seccomp,profile=default', 'name=no-new-privileges'] }, configUnavailable: 'remote daemon' })
        .container({ name: 'b' })
        .build(),
    );
    expect(summary(fromInfo)).toEqual([['b', 'pass', 'daemonDefault']]);
  });

  it('fails an explicit opt-out even when the daemon default is on', () => {
    const findings = runRule(
      rule,
      snap().daemon({ settings: { 'no-new-privileges': true } }).container({ name: 'off', hostConfig: { SecurityOpt: ['no-new-privileges=false'] } }).build(),
    );
    expect(summary(findings)).toEqual([['off', 'fail', 'disabledExplicitly']]);
  });

  it('fails, saying so, when the daemon default could not be read', () => {
    const findings = runRule(rule, snap().daemon({ configUnavailable: 'remote daemon' }).container({ name: 'c' }).build());
    expect(summary(findings)).toEqual([['c', 'fail', 'notSetDaemonUnknown']]);
  });
});

describe('DA526 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    security_opt: ["no-new-privileges:false"]',
      '  plain:',
      '    image: app:1.0',
      '    security_opt: ["no-new-privileges:true"]',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA526',
        alias: 'container-no-new-privileges',
        title: 'Containers cannot gain new privileges',
        family: 'container',
        status: 'fail',
        severity: 'high',
        references: { cis: ['5.26'], checklist: ['POL-4'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'no-new-privileges is turned off explicitly (no-new-privileges:false; state: defined)',
        messageId: 'disabledExplicitly',
        remediation: 'Run with --security-opt no-new-privileges (security_opt: [no-new-privileges:true]), or set "no-new-privileges": true in daemon.json so every new container gets it.',
      },
      {
        ruleId: 'DA526',
        alias: 'container-no-new-privileges',
        title: 'Containers cannot gain new privileges',
        family: 'container',
        status: 'pass',
        severity: 'high',
        references: { cis: ['5.26'], checklist: ['POL-4'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 5, column: 3 },
        message: 'no-new-privileges is set on the container',
        messageId: 'container',
      },
    ]);
  });
});
