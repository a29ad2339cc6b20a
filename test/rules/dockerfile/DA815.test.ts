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
});
