import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA526.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

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
