import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA533.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA533 container-root-user', () => {
  it('fails a container with no user, whose image sets none either', () => {
    const findings = runRule(rule, snap().container({ name: 'default', state: 'exited' }).build());
    const found = findingFor(findings, 'default');
    expect(found).toMatchObject({ ruleId: 'DA533', status: 'fail', messageId: 'notSet' });
    expect(found.message).toContain('image default is root');
    expect(found.message).toContain('exited');
    expect(found.message).toContain('processes as root: none while not running');
  });

  it('fails root however it is spelled, listing root processes where known', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'named', config: { User: 'root' } })
        .container({ name: 'numeric', config: { User: '0:0' } })
        .container({ name: 'group', config: { User: 'root:staff' }, processes: [{ user: 'root', pid: '1', command: 'app --serve' }] })
        .build(),
    );
    const named = findingFor(findings, 'named');
    expect(named).toMatchObject({ status: 'fail', messageId: 'root' });
    expect(named.message).toContain('processes as root: not known');
    expect(findingFor(findings, 'numeric')).toMatchObject({ status: 'fail', messageId: 'root' });
    const group = findingFor(findings, 'group');
    expect(group).toMatchObject({ status: 'fail', messageId: 'root' });
    expect(group.message).toContain('app --serve');
  });

  it('warns, not fails, when a root-started container runs its processes as another user', () => {
    const findings = runRule(
      rule,
      snap()
        .container({
          name: 'postgres',
          processes: [
            { user: '999', pid: '1', command: 'postgres' },
            { user: '999', pid: '20', command: 'postgres: checkpointer' },
          ],
        })
        .build(),
    );
    const postgres = findingFor(findings, 'postgres');
    expect(postgres).toMatchObject({ status: 'warn', messageId: 'dropsPrivileges' });
    expect(postgres.message).toContain('run as 999');
  });

  it('does not read remapped host uids as a privilege drop', () => {
    const findings = runRule(
      rule,
      snap()
        .daemon({ info: { SecurityOptions: ['name=seccomp,profile=default', 'name=userns'] } })
        .container({ name: 'remapped', processes: [{ user: '100000', pid: '1', command: 'app' }] })
        .build(),
    );
    expect(findingFor(findings, 'remapped')).toMatchObject({ status: 'fail', messageId: 'notSet' });
  });

  it('passes a non-root user and fails one whose processes still run as root', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'app', config: { User: 'app:app' }, processes: [{ user: 'app', pid: '1', command: 'node server.js' }] })
        .container({ name: 'sneaky', config: { User: '1000' }, processes: [{ user: '0', pid: '9', command: 'sudo -s' }] })
        .build(),
    );
    const app = findingFor(findings, 'app');
    expect(app).toMatchObject({ status: 'pass', messageId: 'nonRoot' });
    expect(app.message).toContain('app:app');
    const sneaky = findingFor(findings, 'sneaky');
    expect(sneaky).toMatchObject({ status: 'fail', messageId: 'processesAsRoot' });
    expect(sneaky.message).toContain('sudo -s');
  });
});

describe('DA533 keeps secrets in command lines out of its messages', () => {
  const secret = 'Hunter2-db-pass';

  it('redacts passwords in the command lines of root processes', () => {
    const processes = [
      { user: 'root', pid: '1', command: `mysqld --user=mysql --password=${secret}` },
      { user: 'root', pid: '7', command: `worker --token ${secret} --url postgres://app:${secret}@db/app` },
    ];
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'unset', processes })
        .container({ name: 'configured', config: { User: 'app' }, processes })
        .build(),
    );
    const unset = findingFor(findings, 'unset');
    expect(unset).toMatchObject({ status: 'fail', messageId: 'notSet' });
    expect(unset.message).toContain('mysqld --user=mysql --password=***');
    expect(unset.message).toContain('worker --token *** --url postgres://app:***@db/app');
    expect(findingFor(findings, 'configured')).toMatchObject({ status: 'fail', messageId: 'processesAsRoot' });
    for (const finding of findings) expect(finding.message).not.toContain(secret);
  });

  it('shows no command of a Compose service, secret or not', () => {
    const content = ['services:', '  app:', '    image: app:1', `    command: ["--password=${secret}"]`, ''].join('\n');
    const findings = runRule(rule, snap().with((s) => (s.files = { files: [{ path: 'compose.yaml', kind: 'compose', content }] })).build());
    expect(findingFor(findings, 'app')).toMatchObject({ status: 'manual', messageId: 'imageNotSeen' });
    expect(findingFor(findings, 'app').message).not.toContain(secret);
  });
});

describe('DA533 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    user: root',
      '  plain:',
      '    image: app:1.0',
      '    user: "1000:1000"',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA533',
        alias: 'container-root-user',
        title: 'Containers do not run as root',
        family: 'container',
        status: 'fail',
        severity: 'medium',
        references: { cis: ['4.1'], checklist: ['ENV-2'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'runs as root (user root; state: defined; processes as root: not known)',
        messageId: 'root',
        remediation: 'Create an unprivileged user in the image and switch to it (USER app, or USER 10001), or run the container with --user 10001:10001 (user: in Compose).',
      },
      {
        ruleId: 'DA533',
        alias: 'container-root-user',
        title: 'Containers do not run as root',
        family: 'container',
        status: 'pass',
        severity: 'medium',
        references: { cis: ['4.1'], checklist: ['ENV-2'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 5, column: 3 },
        message: 'runs as user 1000:1000',
        messageId: 'nonRoot',
      },
    ]);
  });
});

describe('DA533 claims nothing about an image it did not see', () => {
  const lines = ['services:', '  prom:', '    image: prom/prometheus:v2.53.0', '  built:', '    build: ./app'];

  it('is manual, at the service key, for a service without user whose image lint never saw', () => {
    const findings = runRule(rule, composeFile(lines));
    const prom = findingFor(findings, 'prom');
    expect(prom).toMatchObject({ status: 'manual', messageId: 'imageNotSeen', location: { line: 2, column: 3 } });
    expect(prom.message).toContain('prom/prometheus:v2.53.0 was not seen');
    // A build whose Dockerfile was not collected is just as unknown.
    expect(findingFor(findings, 'built')).toMatchObject({ status: 'manual', messageId: 'imageNotSeen' });
  });

  it('decides from the image when the audit saw it: its USER passes, no USER fails', () => {
    const withUser = composeFile(lines);
    withUser.images = snap().image({ repoTags: ['prom/prometheus:v2.53.0'], config: { User: 'nobody' } }).build().images;
    expect(findingFor(runRule(rule, withUser), 'prom')).toMatchObject({ status: 'pass', messageId: 'nonRoot' });
    const rootImage = composeFile(lines);
    rootImage.images = snap().image({ repoTags: ['prom/prometheus:v2.53.0'], config: { User: '' } }).build().images;
    expect(findingFor(runRule(rule, rootImage), 'prom')).toMatchObject({ status: 'fail', messageId: 'notSet' });
  });

  it('still fails an explicit root user without the image', () => {
    const findings = runRule(rule, composeFile(['services:', '  app:', '    image: app:1', '    user: "0"']));
    expect(findingFor(findings, 'app')).toMatchObject({ status: 'fail', messageId: 'root' });
  });
});
