import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA820.js';
import { lint, problems } from './support/snapshot.js';

describe('DA820 dockerfile-password-set', () => {
  it('passes locked accounts and passwords read from a secret mount', () => {
    const findings = lint(rule, "FROM debian\nRUN useradd -m app && passwd -l app && usermod -p '!' app\nRUN --mount=type=secret,id=pw chpasswd < /run/secrets/pw\n");
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'noPassword' }]);
  });

  it('fails passwords fed to chpasswd or passwd, given to useradd, and removed with passwd -d', () => {
    const findings = lint(
      rule,
      [
        'FROM debian',
        'RUN echo "app:secret" | chpasswd',
        'RUN chpasswd <<EOF',
        'root:toor',
        'EOF',
        'RUN echo hunter2 | passwd --stdin app',
        "RUN useradd --password '$1$x$y' ops",
        'RUN passwd -d app',
        'RUN usermod -p "" svc',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([
      [2, 'fail', 'passwordSet'],
      [3, 'fail', 'passwordSet'],
      [6, 'fail', 'passwordSet'],
      [7, 'fail', 'passwordOption'],
      [8, 'fail', 'emptyPassword'],
      [9, 'fail', 'emptyPassword'],
    ]);
  });
});
