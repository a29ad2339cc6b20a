import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA819.js';
import { lint, problems } from './support/snapshot.js';

describe('DA819 dockerfile-signature-check-disabled', () => {
  it('passes signed repositories and ordinary installs', () => {
    const findings = lint(
      rule,
      [
        'FROM debian',
        'RUN echo "deb [signed-by=/usr/share/keyrings/x.gpg] https://x stable main" > /etc/apt/sources.list.d/x.list',
        'RUN apt-get update && apt-get install -y x && apk add --no-cache y && rpm -i --force z.rpm && dnf install -y --setopt=install_weak_deps=0 w',
        'ENV GOSUMDB=sum.golang.org',
      ].join('\n'),
    );
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'verified' }]);
  });

  it('fails each option, variable and file content that turns signature checks off', () => {
    const findings = lint(
      rule,
      [
        'FROM debian',
        'RUN apt-get install -y --force-yes x',
        'RUN apt-get -o APT::Get::AllowUnauthenticated=true install -y x',
        'RUN apk add --allow-untrusted /tmp/x.apk',
        'RUN rpm -Uvh --nodigest x.rpm',
        'RUN yum --nogpgcheck install -y x',
        'RUN microdnf --setopt=gpgcheck=0 install -y x',
        'RUN zypper --no-gpg-checks in -y x',
        'RUN printf "[x]\\nbaseurl=https://x\\ngpgcheck=0\\n" > /etc/yum.repos.d/x.repo',
        'RUN go env -w GOSUMDB=off',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10].map((line) => [line, 'fail', 'disabled']));
    expect(findings[0]?.message).toBe('RUN disables package signature verification: apt-get --force-yes');
    expect(findings[7]?.message).toContain('gpgcheck=0 in a repository configuration');
  });
});
