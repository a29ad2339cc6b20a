import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/compose/DA903.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { composeSnapshot } from './helpers.js';

const compose = [
  'services:',
  '  web:',
  '    image: nginx:${TAG:-1.27.0}',
  '    environment:',
  '      API: ${API_URL:?set API_URL}',
  '      EMPTY: ${EMPTY:?must not be empty}',
  '      PLAIN: $NOT_SET',
  '      BAD: ${1BAD}',
  '',
].join('\n');

describe('DA903 compose-variables', () => {
  it('warns on required variables, fails invalid syntax, notes unset variables, each at its value', () => {
    const findings = runRule(rule, composeSnapshot({ 'app/compose.yaml': compose, 'app/.env': 'EMPTY=\n' }));
    expect(findings.map((finding) => [finding.location?.line, finding.status, finding.messageId])).toEqual([
      [8, 'fail', 'syntax'],
      [5, 'warn', 'required'],
      [6, 'warn', 'required'],
      [7, 'info', 'unset'],
    ]);
    const required = findings.find((finding) => finding.location?.line === 5);
    expect(required?.message).toBe('required variable API_URL is not set in the project .env file ("set API_URL"): the audit used an empty value');
    expect(findings.find((finding) => finding.location?.line === 6)?.message).toContain('EMPTY is empty');
    expect(required?.location).toEqual({ file: 'app/compose.yaml', line: 5, column: 12 });
  });

  it('passes when the .env beside the file sets everything, and ignores the .env of another directory', () => {
    const resolved = runRule(
      rule,
      composeSnapshot({
        'app/compose.yaml': 'services:\n  web:\n    image: nginx:${TAG}\n    user: $$HOME\n',
        'app/.env': 'TAG=1.27.0\n',
      }),
    );
    expect(summary(resolved)).toEqual([['app/compose.yaml', 'pass', 'resolved']]);
    const elsewhere = runRule(rule, composeSnapshot({ 'app/compose.yaml': 'services:\n  web:\n    image: nginx:${TAG}\n', 'other/.env': 'TAG=1\n' }));
    expect(findingFor(elsewhere, 'app/compose.yaml')).toMatchObject({ status: 'info', messageId: 'unset' });
  });
});
