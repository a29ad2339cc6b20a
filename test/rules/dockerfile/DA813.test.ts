import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA813.js';
import { lint, problems } from './support/snapshot.js';

describe('DA813 dockerfile-install-recommends', () => {
  it('passes --no-install-recommends, -o APT::Install-Recommends=false and an apt.conf.d setting', () => {
    const findings = lint(
      rule,
      [
        'FROM debian',
        'RUN apt-get update && apt-get install -y --no-install-recommends curl',
        'RUN apt-get install -y -o APT::Install-Recommends=0 git',
        `RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/00-no-recommends`,
        'RUN apt-get install -y vim',
      ].join('\n'),
    );
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'noRecommends' }]);
  });

  it('warns about apt installs that pull in recommended packages in the shipped image', () => {
    const findings = lint(rule, 'FROM debian AS build\nRUN apt-get install -y gcc\nFROM debian\nRUN apt update && apt install -y git\n');
    expect(problems(findings)).toEqual([[4, 'warn', 'recommends']]);
    expect(findings[0]?.message).toBe('apt install without --no-install-recommends also installs recommended packages');
  });
});
