import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA531.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

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

describe('DA531 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    userns_mode: host',
      '  plain:',
      '    image: app:1.0',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA531',
        alias: 'container-host-userns',
        title: 'Containers do not share the host\'s user namespace',
        family: 'container',
        status: 'fail',
        severity: 'medium',
        references: { cis: ['5.31'], checklist: ['NS-5'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'shares the host\'s user namespace (userns mode host; no effect today, as the daemon remaps no users; state: defined)',
        messageId: 'host',
        remediation: 'Remove --userns host (userns_mode: host); if the container truly needs host uids, run it on a host dedicated to it.',
      },
      {
        ruleId: 'DA531',
        alias: 'container-host-userns',
        title: 'Containers do not share the host\'s user namespace',
        family: 'container',
        status: 'info',
        severity: 'medium',
        references: { cis: ['5.31'], checklist: ['NS-5'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 5, column: 3 },
        message: 'does not opt out, but the daemon remaps no users, so it shares the host\'s user namespace anyway (see the daemon\'s userns-remap control)',
        messageId: 'noRemap',
      },
    ]);
  });
});
