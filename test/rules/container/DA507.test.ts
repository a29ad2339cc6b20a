import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA507.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA507 container-sshd', () => {
  it('fails a running container whose processes include an SSH server, naming it', () => {
    const findings = runRule(
      rule,
      snap()
        .container({
          name: 'ssh',
          processes: [
            { user: 'root', pid: '10', command: 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups' },
            { user: 'root', pid: '11', command: 'nginx: master process' },
          ],
        })
        .container({ name: 'drop', processes: [{ user: 'root', pid: '12', command: '/usr/sbin/dropbear -F -E' }] })
        .build(),
    );
    const ssh = findingFor(findings, 'ssh');
    expect(ssh).toMatchObject({ status: 'fail', messageId: 'sshd' });
    expect(ssh.message).toContain('/usr/sbin/sshd -D');
    expect(ssh.message).not.toContain('nginx');
    expect(findingFor(findings, 'drop')).toMatchObject({ status: 'fail', messageId: 'sshd' });
  });

  it('passes a running container without an SSH server, even one whose command mentions ssh', () => {
    const findings = runRule(
      rule,
      snap()
        .container({
          name: 'web',
          processes: [
            { user: 'root', pid: '1', command: 'nginx: master process nginx -g daemon off;' },
            { user: 'app', pid: '2', command: 'ssh-agent -s' },
          ],
        })
        .build(),
    );
    const web = findingFor(findings, 'web');
    expect(web).toMatchObject({ status: 'pass', messageId: 'noSshd' });
    expect(web.message).toContain('2 processes');
  });

  it('is skipped with the reason when the processes of a running container could not be read', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'hidden', processes: { unavailable: true, reason: 'top: permission denied' } })
        .container({ name: 'uncollected' })
        .build(),
    );
    const hidden = findingFor(findings, 'hidden');
    expect(hidden).toMatchObject({ status: 'skipped', messageId: 'noProcesses' });
    expect(hidden.message).toContain('permission denied');
    expect(findingFor(findings, 'uncollected').message).toContain('not collected');
  });

  it('fails a stopped container configured to start sshd and skips other stopped containers', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'stopped-ssh', state: 'exited', config: { Entrypoint: null, Cmd: ['/usr/sbin/sshd', '-D'] } })
        .container({ name: 'stopped-web', state: 'exited', config: { Cmd: ['nginx', '-g', 'daemon off;'] } })
        .build(),
    );
    const stoppedSsh = findingFor(findings, 'stopped-ssh');
    expect(stoppedSsh).toMatchObject({ status: 'fail', messageId: 'sshdConfigured' });
    expect(stoppedSsh.message).toContain('exited');
    const stoppedWeb = findingFor(findings, 'stopped-web');
    expect(stoppedWeb).toMatchObject({ status: 'skipped', messageId: 'notRunning' });
    expect(stoppedWeb.message).toContain('exited');
  });
});

describe('DA507 keeps secrets in command lines out of its messages', () => {
  const secret = 'Hunter2-ssh-pass';

  it('redacts passwords in a running SSH server and in the configured command of a stopped container', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'running', processes: [{ user: 'root', pid: '1', command: `/usr/sbin/sshd -D -o PASSWORD=${secret}` }] })
        .container({ name: 'stopped', state: 'exited', config: { Entrypoint: ['/usr/sbin/sshd'], Cmd: ['-D', '--password', secret] } })
        .build(),
    );
    const running = findingFor(findings, 'running');
    expect(running).toMatchObject({ status: 'fail', messageId: 'sshd' });
    expect(running.message).toContain('PASSWORD=***');
    const stopped = findingFor(findings, 'stopped');
    expect(stopped).toMatchObject({ status: 'fail', messageId: 'sshdConfigured' });
    expect(stopped.message).toContain('--password ***');
    for (const finding of findings) expect(finding.message).not.toContain(secret);
  });

  it('reports nothing for a Compose service, whose command it cannot see running', () => {
    const content = ['services:', '  ssh:', '    image: sshd:1', `    command: ["/usr/sbin/sshd", "--password=${secret}"]`, ''].join('\n');
    const findings = runRule(rule, snap().with((s) => (s.files = { files: [{ path: 'compose.yaml', kind: 'compose', content }] })).build());
    expect(findings.map((finding) => finding.message).join('\n')).not.toContain(secret);
  });
});

describe('DA507 on Compose services', () => {
  it('gives no finding for a Compose service, which has no runtime state to judge', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    command: ["/usr/sbin/sshd", "-D"]',
      '  plain:',
      '    image: app:1.0',
    ]);
    expect(runRule(rule, snapshot)).toEqual([]);
  });
});
