import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA810.js';
import { lint, problems } from './support/snapshot.js';

describe('DA810 dockerfile-sudo', () => {
  it('passes USER switches and gosu', () => {
    const findings = lint(rule, 'FROM debian\nUSER root\nRUN apt-get update && apt-get install -y gosu\nUSER app\nRUN echo sudo\nCMD ["gosu", "app", "server"]\n');
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'noSudo' }]);
  });

  it('fails every RUN that goes through sudo, once per instruction', () => {
    const findings = lint(rule, 'FROM debian\nRUN sudo -u app make && sudo make install\nRUN env DEBUG=1 sudo -E ./setup.sh\n');
    expect(problems(findings)).toEqual([
      [2, 'fail', 'sudo'],
      [3, 'fail', 'sudo'],
    ]);
    expect(findings[0]?.message).toBe('RUN runs make through sudo');
  });

  it('warns when sudo is installed into the shipped image, not into a build stage', () => {
    const findings = lint(rule, 'FROM alpine AS build\nRUN apk add --no-cache sudo\nFROM alpine\nRUN apk add --no-cache sudo curl\n');
    expect(problems(findings)).toEqual([[4, 'warn', 'sudoInstalled']]);
  });
});
