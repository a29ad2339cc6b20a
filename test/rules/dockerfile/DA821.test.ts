import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA821.js';
import { lint, problems } from './support/snapshot.js';

describe('DA821 dockerfile-run-insecure', () => {
  it('passes RUN with sandbox-friendly flags', () => {
    const findings = lint(rule, 'FROM alpine\nRUN --network=none --security=sandbox --mount=type=cache,target=/root/.cache make\n');
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'confined' }]);
  });

  it('fails --security=insecure and warns about --network=host', () => {
    const findings = lint(rule, 'FROM alpine\nRUN --security=insecure --network=host mount -t tmpfs none /mnt\n');
    expect(problems(findings)).toEqual([
      [2, 'fail', 'insecure'],
      [2, 'warn', 'hostNetwork'],
    ]);
  });
});
