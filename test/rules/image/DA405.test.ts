import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/DA405.js';
import { isSecretName } from '../../../src/rules/shared/secrets.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

/** History as the API returns it: newest entry first. */
const history = (...createdBy: string[]) =>
  createdBy.reverse().map((CreatedBy, index) => ({ Id: '<missing>', Created: 1700000000 + index, CreatedBy, Size: 0, Comment: '' }));

describe('DA405 image-secrets-in-history', () => {
  it('fails secrets in ENV, ARG defaults, RUN build arguments and the image config, never showing a value', () => {
    const findings = runRule(
      rule,
      snap()
        .image({
          repoTags: ['acme/leaky:1'],
          config: { Env: ['PATH=/usr/bin', 'DB_PASSWORD=hunter2-env'] },
          history: history(
            '/bin/sh -c #(nop)  ENV DB_PASSWORD=hunter2-env',
            'ARG GITHUB_TOKEN=ghp_defaultvalue # buildkit',
            'RUN |2 NPM_TOKEN=npm_value VERSION=1.0 /bin/sh -c npm ci # buildkit',
            'ENV clientSecret="abc def" LOG_LEVEL=info',
          ),
        })
        .build(),
    );
    const leaky = findingFor(findings, 'acme/leaky:1');
    expect(leaky).toMatchObject({ status: 'fail', messageId: 'secrets', severity: 'high' });
    expect(leaky.message).toBe(
      '4 secret-looking variable(s) with a value recorded in the image (values not shown): DB_PASSWORD (image config, ENV), GITHUB_TOKEN (ARG), NPM_TOKEN (RUN build argument), clientSecret (ENV)',
    );
    for (const value of ['hunter2', 'ghp_', 'npm_value', 'abc def']) expect(leaky.message).not.toContain(value);
  });

  it('passes empty values, pointers to secret files, unrelated names and declared-only ARGs', () => {
    const findings = runRule(
      rule,
      snap()
        .image({
          repoTags: ['acme/clean:1'],
          config: { Env: ['POSTGRES_PASSWORD_FILE=/run/secrets/db', 'GPG_KEY=A035C8C19219BA82', 'API_TOKEN=', 'PWD=/app'] },
          history: history('ARG NPM_TOKEN # buildkit', 'ENV PASSENGER_VERSION=6.0', '/bin/sh -c #(nop)  ENV COMPASS_URL http://x'),
        })
        .build(),
    );
    expect(summary(findings)).toEqual([['acme/clean:1', 'pass', 'clean']]);
  });

  it('still checks the image config when the history cannot be read', () => {
    const findings = runRule(
      rule,
      snap()
        .image({ repoTags: ['acme/env:1'], config: { Env: ['API_KEY=x'] }, history: { unavailable: true, reason: 'timeout' } })
        .image({ repoTags: ['acme/plain:1'], history: { unavailable: true, reason: 'timeout' } })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['acme/env:1', 'fail', 'secretsHistoryUnread'],
      ['acme/plain:1', 'skipped', 'historyUnavailable'],
    ]);
    expect(findingFor(findings, 'acme/env:1').message).toContain('API_KEY (image config)');
  });

  it('ignores names listed in its options', () => {
    const snapshot = snap().image({ repoTags: ['acme/app:1'], config: { Env: ['CSRF_TOKEN_NAME=x', 'SESSION_SECRET=y'] } }).build();
    expect(summary(runRule(rule, snapshot))).toEqual([['acme/app:1', 'fail', 'secrets']]);
    expect(summary(runRule(rule, snapshot, { ignoreNames: ['session_secret', 'CSRF_TOKEN_NAME'] }))).toEqual([['acme/app:1', 'pass', 'clean']]);
  });

  it('recognises secret names', () => {
    const secret = ['AWS_SECRET_ACCESS_KEY', 'apiKey', 'PRIVATE_KEY', 'STRIPE_API_KEY', 'DB_PWD', 'REDIS_PASS', 'SECRET_KEY_BASE'];
    const harmless = ['GPG_KEY', 'PASSENGER_HOME', 'TOKEN_URL', 'MYSQL_PASSWORD_FILE', 'PWD', 'KEYCLOAK_VERSION', 'BYPASS_CACHE'];
    expect(secret.filter(isSecretName)).toEqual(secret);
    expect(harmless.filter(isSecretName)).toEqual([]);
  });
});
