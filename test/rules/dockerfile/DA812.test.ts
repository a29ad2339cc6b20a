import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA812.js';
import { lint, problems } from './support/snapshot.js';

describe('DA812 dockerfile-package-cache', () => {
  it('passes installs that clean up in the same RUN or use a cache mount', () => {
    const findings = lint(
      rule,
      [
        'FROM python:3.12',
        'ENV PIP_NO_CACHE_DIR=1',
        'RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*',
        'RUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y gcc',
        'RUN apk add --no-cache git',
        'RUN dnf install -y git && dnf clean all',
        'RUN zypper -n in curl && zypper clean -a',
        'RUN pip install flask',
      ].join('\n'),
    );
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'noCache' }]);
  });

  it('warns about each manager that leaves its cache in the shipped image', () => {
    const findings = lint(
      rule,
      [
        'FROM debian',
        'RUN apt-get update && apt-get install -y curl',
        'RUN apk add git',
        'RUN microdnf install -y tar',
        'RUN zypper install -y vim',
        'RUN python3 -m pip install requests && pip install --user flask',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([
      [2, 'warn', 'aptLists'],
      [3, 'warn', 'apkCache'],
      [4, 'warn', 'yumCache'],
      [5, 'warn', 'zypperCache'],
      [6, 'warn', 'pipCache'],
    ]);
    expect(findings[2]?.message).toBe('microdnf install without microdnf clean all in the same RUN');
    expect(findings[4]?.message).toContain('python3 -m pip install');
  });

  it('ignores build stages that do not ship', () => {
    expect(problems(lint(rule, 'FROM debian AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian\nCOPY --from=build /out /out\n'))).toEqual([]);
  });
});
