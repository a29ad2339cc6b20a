import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA814.js';
import { lint, problems } from './support/snapshot.js';

describe('DA814 dockerfile-healthcheck', () => {
  it('passes a HEALTHCHECK in the final stage or in the stage it is built FROM', () => {
    expect(lint(rule, 'FROM nginx\nHEALTHCHECK --interval=10s CMD curl -f http://localhost/ || exit 1\n')).toMatchObject([{ status: 'pass', messageId: 'present' }]);
    expect(problems(lint(rule, 'FROM nginx AS base\nHEALTHCHECK CMD ["true"]\nFROM base\n'))).toEqual([]);
  });

  it('fails a final stage without HEALTHCHECK at its FROM, even when a build stage has one', () => {
    const findings = lint(rule, 'FROM alpine AS test\nHEALTHCHECK CMD ["true"]\nFROM nginx:1.27\nCOPY . /usr/share/nginx/html\n');
    expect(problems(findings)).toEqual([[3, 'fail', 'missing']]);
    expect(findings[0]?.message).toContain('unless nginx:1.27 declares one');
  });

  it('reports HEALTHCHECK NONE as a decision to confirm', () => {
    const findings = lint(rule, 'FROM nginx\nHEALTHCHECK NONE\n');
    expect(problems(findings)).toEqual([[2, 'info', 'disabled']]);
  });
});
