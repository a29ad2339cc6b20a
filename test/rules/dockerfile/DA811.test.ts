import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA811.js';
import { lint, problems } from './support/snapshot.js';

describe('DA811 dockerfile-update-alone', () => {
  it('passes updates followed by an install or upgrade in the same RUN', () => {
    const findings = lint(
      rule,
      'FROM debian\nRUN apt-get update && apt-get install -y curl\nRUN apk update && apk upgrade\nRUN <<EOF\napt-get update\napt-get -y dist-upgrade\nEOF\nRUN yum install -y git\n',
    );
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'noUpdateAlone' }]);
  });

  it('fails an index refresh alone, for every package manager, in every stage', () => {
    const findings = lint(rule, 'FROM debian AS build\nRUN apt-get update\nFROM alpine\nRUN apk update && echo done\nRUN dnf makecache\nRUN zypper --non-interactive refresh\n');
    expect(problems(findings)).toEqual([
      [2, 'fail', 'updateAlone'],
      [4, 'fail', 'updateAlone'],
      [5, 'fail', 'updateAlone'],
      [6, 'fail', 'updateAlone'],
    ]);
    expect(findings[0]?.message).toBe('apt-get update runs in a RUN without an install or upgrade: the cached index goes stale');
  });

  it('does not count an install by another manager', () => {
    expect(problems(lint(rule, 'FROM debian\nRUN apt-get update && pip install flask\n'))).toEqual([[2, 'fail', 'updateAlone']]);
  });
});

describe('DA811 when the RUN throws the index away', () => {
  it('passes an update whose index the same RUN deletes, whatever else it does', () => {
    const findings = lint(
      rule,
      [
        'FROM debian',
        'RUN apt-get update \\',
        '  && curl -fsSL https://deb.nodesource.com/setup_20.x -o /tmp/setup.sh && bash /tmp/setup.sh \\',
        '  && rm -rf /var/lib/apt/lists/*',
        'RUN set -eux; apt-get update; apt-cache policy nginx; rm -rf /var/lib/apt/lists',
        'FROM alpine',
        'RUN apk update && apk info -v && rm -rf /var/cache/apk/*',
        'FROM fedora',
        'RUN dnf makecache && dnf repoquery bash && dnf clean all',
        '',
      ].join('\n'),
    );
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'noUpdateAlone' }]);
  });

  it('still fails when only the package archives are cleaned, or another manager index is deleted', () => {
    const findings = lint(rule, 'FROM debian\nRUN apt-get update && apt-get clean\nRUN apt-get update && rm -rf /var/cache/apk/*\nRUN yum makecache && yum clean packages\n');
    expect(problems(findings)).toEqual([
      [2, 'fail', 'updateAlone'],
      [3, 'fail', 'updateAlone'],
      [4, 'fail', 'updateAlone'],
    ]);
  });
});
