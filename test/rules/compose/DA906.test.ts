import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/compose/DA906.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeSnapshot } from './helpers.js';

describe('DA906 compose-environment-secret', () => {
  it('fails secrets written in the file, by name and by shape, never showing the value', () => {
    const findings = runRule(
      rule,
      composeSnapshot({
        'compose.yaml': [
          'services:',
          '  db:',
          '    image: postgres:16.3',
          '    profiles: [tools]',
          '    environment:',
          '      POSTGRES_PASSWORD: example',
          '      POSTGRES_USER: app',
          '',
        ].join('\n'),
        'other/compose.yaml': [
          'services:',
          '  api:',
          '    image: api:1',
          '    environment:',
          '      - AWS_KEY=AKIAIOSFODNN7EXAMPLE',
          '      - CALLBACK=https://user:pa55word@hooks.example.com/x',
          '      - WEBPASSWORD=${WEBPASSWORD:-admin123}',
          '      - TOKEN_TTL=3600',
          '',
        ].join('\n'),
      }),
    );
    const db = findingFor(findings, 'db');
    expect(db).toMatchObject({ status: 'fail', messageId: 'byName', subject: { kind: 'compose-service' }, location: { file: 'compose.yaml', line: 6, column: 7 } });
    expect(db.message).toBe('environment variable POSTGRES_PASSWORD of service db holds a secret written in the file (its name says so) (profile tools)');
    const api = findings.filter((finding) => finding.subject.name === 'api');
    expect(api.map((finding) => [finding.messageId, finding.location?.line])).toEqual([
      ['byShape', 5],
      ['byShape', 6],
      ['byDefault', 7],
    ]);
    expect(api[0]?.message).toContain('an AWS access key');
    expect(findings.map((finding) => finding.message).join('\n')).not.toMatch(/example|AKIA|pa55word|admin123/);
  });

  it('knows the same credential shapes as the Dockerfile rules (a Slack webhook here, a SendGrid key there)', () => {
    const findings = runRule(
      rule,
      composeSnapshot({
        'compose.yaml': ['services:', '  bot:', '    image: bot:1', '    environment:', '      NOTIFY: https://hooks.slack.com/services/T0000/B0000/abcdef123456', ''].join('\n'),
      }),
    );
    expect(findingFor(findings, 'bot')).toMatchObject({ status: 'fail', messageId: 'byShape', location: { line: 5 } });
    expect(findingFor(findings, 'bot').message).toContain('a Slack webhook');
  });

  it('passes values taken from .env, secret files and flags that only look like secrets', () => {
    const findings = runRule(
      rule,
      composeSnapshot({
        'compose.yaml': [
          'services:',
          '  db:',
          '    image: mysql:8.4',
          '    environment:',
          '      MYSQL_ROOT_PASSWORD: ${MYSQL_ROOT_PASSWORD}',
          '      MYSQL_PASSWORD: ${MYSQL_PASSWORD:-}',
          '      MYSQL_PASSWORD_FILE: /run/secrets/db',
          '      MYSQL_ALLOW_EMPTY_PASSWORD: "yes"',
          '      MYSQL_RANDOM_ROOT_PASSWORD: random',
          '      PASSWORD_MIN_LENGTH: 12',
          '      API_KEY:',
          '',
        ].join('\n'),
        '.env': 'MYSQL_ROOT_PASSWORD=from-env-file\n',
      }),
    );
    expect(findingFor(findings, 'db')).toMatchObject({ status: 'pass', messageId: 'none' });
  });
});
