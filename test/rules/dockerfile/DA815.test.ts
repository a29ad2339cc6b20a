import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA815.js';
import { lint, problems } from './support/snapshot.js';

describe('DA815 dockerfile-ssh', () => {
  it('passes an SSH client and other ports', () => {
    const findings = lint(rule, 'FROM debian\nRUN apt-get install -y --no-install-recommends openssh-client\nEXPOSE 80 2222 22/udp\nCMD ["ssh", "-V"]\n');
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'noSsh' }]);
  });

  it('fails port 22, an SSH server package and an sshd start-up in the shipped image', () => {
    const findings = lint(rule, 'FROM alpine\nRUN apk add --no-cache openssh=9.7_p1-r4\nEXPOSE 8080 20-25/tcp\nENTRYPOINT ["/usr/bin/tini", "--", "/usr/sbin/sshd", "-D"]\n');
    expect(problems(findings)).toEqual([
      [3, 'fail', 'port22'],
      [2, 'fail', 'sshdInstalled'],
      [4, 'fail', 'sshdStarted'],
    ]);
    expect(findings[1]?.message).toBe('apk installs openssh, an SSH server, into the shipped image');
  });

  it('ignores a build stage', () => {
    expect(problems(lint(rule, 'FROM debian AS build\nRUN apt-get install -y openssh-server\nEXPOSE 22\nFROM debian\n'))).toEqual([]);
  });

  it('reads EXPOSE ports and ranges, TCP only', () => {
    const findings = lint(rule, ['FROM debian', 'EXPOSE 22', 'EXPOSE 80 22/TCP', 'EXPOSE 22-30', 'EXPOSE 10-22/tcp', 'EXPOSE 22-22', 'EXPOSE 22/sctp 23-30 10-21 122 220 2-2 22/tcpx x22 22x 8022/tcp'].join('\n'));
    expect(findings.map((finding) => [finding.location?.line, finding.status, finding.message])).toEqual([
      [2, 'fail', 'EXPOSE 22 declares the SSH port'],
      [3, 'fail', 'EXPOSE 22/TCP declares the SSH port'],
      [4, 'fail', 'EXPOSE 22-30 declares the SSH port'],
      [5, 'fail', 'EXPOSE 10-22/tcp declares the SSH port'],
      [6, 'fail', 'EXPOSE 22-22 declares the SSH port'],
    ]);
  });

  it('fails every SSH server package of each manager, installed only', () => {
    const findings = lint(
      rule,
      [
        'FROM debian',
        'RUN apt-get update && apt-get install -y curl openssh-server',
        'RUN apt install -y ssh && apt-get install -y dropbear-bin',
        'RUN dnf install -y dropbear',
        'RUN zypper --non-interactive in openssh',
        'RUN apk add dropbear',
        'RUN apt-get remove -y openssh-server && apt-get install -y openssh && yum install -y openssh',
        'RUN pip install ssh && apk add openssh-client',
      ].join('\n'),
    );
    expect(findings.map((finding) => [finding.location?.line, finding.status, finding.message])).toEqual([
      [2, 'fail', 'apt-get installs openssh-server, an SSH server, into the shipped image'],
      [3, 'fail', 'apt installs ssh, an SSH server, into the shipped image'],
      [3, 'fail', 'apt-get installs dropbear-bin, an SSH server, into the shipped image'],
      [4, 'fail', 'dnf installs dropbear, an SSH server, into the shipped image'],
      [5, 'fail', 'zypper installs openssh, an SSH server, into the shipped image'],
      [6, 'fail', 'apk installs dropbear, an SSH server, into the shipped image'],
    ]);
  });

  it('fails CMD and ENTRYPOINT that start sshd or dropbear, not a RUN or another program', () => {
    const findings = lint(rule, ['FROM debian', 'RUN /usr/sbin/sshd -t', 'CMD dropbear -F -E', '  ENTRYPOINT ["/usr/sbin/sshd", "-D"]', 'HEALTHCHECK CMD ["ssh", "-V"]'].join('\n'));
    expect(findings).toEqual([
      expect.objectContaining({ status: 'fail', messageId: 'sshdStarted', message: 'CMD starts dropbear, an SSH server', location: { file: 'Dockerfile', line: 3, column: 1 } }),
      expect.objectContaining({ status: 'fail', messageId: 'sshdStarted', message: 'ENTRYPOINT starts sshd, an SSH server', location: { file: 'Dockerfile', line: 4, column: 3 } }),
    ]);
    expect(findings[0]).toMatchObject({
      ruleId: 'DA815',
      alias: 'dockerfile-ssh',
      title: 'The shipped image runs no SSH server',
      severity: 'high',
      subject: { kind: 'file', name: 'Dockerfile' },
      references: { cis: [], checklist: ['NET-1', 'IMG-4'], related: ['5.7'] },
    });
    expect(findings[0]?.remediation).toMatch(/^Remove the SSH server package, the EXPOSE 22 and any sshd start-up/);
    expect(rule.meta.rationale).toMatch(/^An SSH server in a container is one more daemon/);
  });

  it('has nothing to say about a file without a stage, and passes one without findings', () => {
    expect(lint(rule, 'EXPOSE 22\n')).toEqual([]);
    expect(lint(rule, 'FROM debian\n')).toEqual([expect.objectContaining({ status: 'pass', messageId: 'noSsh', message: 'no SSH server in the shipped image' })]);
  });
});
