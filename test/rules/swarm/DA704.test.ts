import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/swarm/DA704.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { inSwarm, service } from './support/swarm-builders.js';

const secretRef = (name: string) => ({ File: { Name: name, UID: '0', GID: '0', Mode: 292 }, SecretID: `${name}-id`, SecretName: name });

describe('DA704 swarm-secrets-in-env', () => {
  it('fails secret-looking variables with a value, naming them and never their values', () => {
    const api = service({
      name: 'api',
      containerSpec: {
        Env: [
          'DB_PASSWORD=hunter2',
          'GITHUB_TOKEN=ghp_abc',
          'STRIPE_API_KEY=sk_test_x',
          'DATABASE_URL=postgres://app:pa55@db/app',
          `DEPLOY=ghp_${'a'.repeat(36)}`,
          'LOG_LEVEL=info',
        ],
      },
    });
    const finding = findingFor(runRule(rule, inSwarm(snap(), { services: [api] }).build()), 'api');
    expect(finding).toMatchObject({ ruleId: 'DA704', status: 'fail', messageId: 'inEnvironment', subject: { kind: 'service', name: 'api' } });
    expect(finding.message).toBe(
      'passes DB_PASSWORD, GITHUB_TOKEN, STRIPE_API_KEY, DATABASE_URL (a URL with a password in it), DEPLOY (a GitHub token) as environment variables with their value in the service definition (Docker secrets attached: none)',
    );
    for (const value of ['hunter2', 'ghp_', 'sk_test_x', 'pa55']) expect(finding.message).not.toContain(value);
  });

  it('fails a literal secret even when the service also uses Docker secrets', () => {
    const both = service({ name: 'both', containerSpec: { Env: ['JWT_SECRET=abc'], Secrets: [secretRef('db_password')] } });
    const finding = findingFor(runRule(rule, inSwarm(snap(), { services: [both] }).build()), 'both');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'inEnvironment' });
    expect(finding.message).toContain('Docker secrets attached: db_password');
  });

  it('passes a service using Docker secrets through *_FILE variables', () => {
    const db = service({
      name: 'db',
      containerSpec: { Env: ['POSTGRES_PASSWORD_FILE=/run/secrets/db_password', 'POSTGRES_USER=app'], Secrets: [secretRef('db_password')] },
    });
    const finding = findingFor(runRule(rule, inSwarm(snap(), { services: [db] }).build()), 'db');
    expect(finding).toMatchObject({ status: 'pass', messageId: 'usesSecrets' });
    expect(finding.message).toContain('gets 1 secret from Docker secrets (db_password)');
  });

  it('passes variables that only look alike: empty, switches, about a secret, key ids, the working directory', () => {
    const quiet = service({
      name: 'quiet',
      containerSpec: {
        Env: ['DB_PASSWORD=', 'MYSQL_ALLOW_EMPTY_PASSWORD=yes', 'TOKEN_TTL=3600', 'AWS_ACCESS_KEY_ID=id', 'PWD=/app', 'KEY=value', 'PASSWORD_POLICY=strict'],
      },
    });
    expect(findingFor(runRule(rule, inSwarm(snap(), { services: [quiet] }).build()), 'quiet')).toMatchObject({ status: 'pass', messageId: 'noneSeen' });
  });

  it('takes extra name patterns and ignored names from the options', () => {
    const custom = service({ name: 'custom', containerSpec: { Env: ['MY_PIN=1234', 'PUBLIC_TOKEN=pk_1'] } });
    const snapshot = inSwarm(snap(), { services: [custom] }).build();
    const finding = findingFor(runRule(rule, snapshot, { extraNames: ['_PIN$'], ignoreNames: ['PUBLIC_TOKEN'] }), 'custom');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'inEnvironment' });
    expect(finding.message).toContain('passes MY_PIN as');
    expect(() => runRule(rule, snapshot, { extraNames: ['(unclosed'] })).toThrow(/invalid regular expression/);
  });

  it('is skipped when the node is not a swarm manager', () => {
    expect(summary(runRule(rule, snap().build()))).toEqual([['swarm', 'skipped', '__skipped']]);
  });
});
