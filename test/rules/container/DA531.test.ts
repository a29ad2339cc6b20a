import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA531.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

const REMAPPING = { info: { SecurityOptions: ['name=seccomp,profile=default', 'name=userns'] } };

describe('DA531 container-host-userns', () => {
  it('fails a container that opts out of remapping and passes the others', () => {
    const findings = runRule(
      rule,
      snap()
        .daemon(REMAPPING)
        .container({ name: 'optout', state: 'exited', hostConfig: { UsernsMode: 'host' } })
        .container({ name: 'remapped' })
        .build(),
    );
    const optout = findingFor(findings, 'optout');
    expect(optout).toMatchObject({ status: 'fail', messageId: 'host' });
    expect(optout.message).toContain("host's root");
    expect(optout.message).toContain('exited');
    expect(findingFor(findings, 'remapped')).toMatchObject({ status: 'pass', messageId: 'remapped' });
  });

  it('reports that containers share the host user namespace when the daemon remaps nobody', () => {
    const findings = runRule(rule, snap().container({ name: 'plain' }).container({ name: 'optout', hostConfig: { UsernsMode: 'host' } }).build());
    expect(findingFor(findings, 'plain')).toMatchObject({ status: 'info', messageId: 'noRemap' });
    const optout = findingFor(findings, 'optout');
    expect(optout).toMatchObject({ status: 'fail', messageId: 'host' });
    expect(optout.message).toContain('no effect today');
  });

  it('judges only the container setting when the daemon was not seen', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'plain' })
        .with((snapshot) => {
          snapshot.daemon = { unavailable: true, reason: 'offline snapshot' };
        })
        .build(),
    );
    expect(summary(findings)).toEqual([['plain', 'pass', 'notHost']]);
  });
});
