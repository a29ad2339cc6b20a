import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA807.js';
import { dockerfileFromHistory } from '../../../src/parsers/dockerfile/snapshot-dockerfiles.js';
import { lint, problems } from './support/snapshot.js';

describe('DA807 dockerfile-secret-in-env', () => {
  it('passes plain settings, pointers to secret files and public key ids', () => {
    const findings = lint(rule, 'FROM alpine\nENV PASSWORD_FILE=/run/secrets/pw GPG_KEY=A1B2C3 TOKEN_URL=https://x/token PWD=/app DB_PASSWORD=""\nARG SECRET_NAME=prod/db\n');
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'noSecret' }]);
  });

  it('fails secret-named ENV and ARG in the shipped image, one finding per variable', () => {
    const findings = lint(rule, 'FROM alpine\nENV DB_PASSWORD=hunter2 MYSQL_PASS=x\nARG GITHUB_TOKEN\nENV NPM_TOKEN=${GITHUB_TOKEN}\n');
    expect(problems(findings)).toEqual([
      [2, 'fail', 'secretName'],
      [2, 'fail', 'secretName'],
      [3, 'fail', 'secretName'],
      [4, 'fail', 'secretName'],
    ]);
    expect(findings[0]?.message).toBe('ENV DB_PASSWORD is named like a secret: its value is stored in the shipped image');
  });

  it('only warns about secret names in a build stage that does not ship', () => {
    const findings = lint(rule, 'FROM alpine AS build\nARG NPM_TOKEN\nFROM alpine\n');
    expect(problems(findings)).toEqual([[2, 'warn', 'secretNameBuildStage']]);
    expect(findings[0]?.message).toContain('build stage "build"');
  });

  it('fails credential-shaped values anywhere, critical, never printing them', () => {
    const key = 'AKIA' + 'Q'.repeat(16);
    const findings = lint(rule, `FROM alpine AS build\nENV CONFIG=${key}\nFROM alpine\nLABEL note="-----BEGIN RSA PRIVATE KEY-----"\nRUN curl -H "Authorization: token ghp_${'x'.repeat(36)}" https://api.github.com\n`);
    expect(problems(findings)).toEqual([
      [2, 'fail', 'secretValue'],
      [4, 'fail', 'secretValue'],
      [5, 'fail', 'secretInRun'],
    ]);
    expect(findings.every((finding) => finding.severity === 'critical')).toBe(true);
    expect(findings.map((finding) => finding.message).join('\n')).not.toMatch(/AKIA|ghp_|BEGIN/);
    expect(findings[0]?.message).toContain('AWS access key id');
  });

  it('knows the same credential shapes as the Compose rules (a SendGrid key)', () => {
    const findings = lint(rule, `FROM alpine\nENV MAIL_CONFIG=SG.${'a'.repeat(22)}.${'b'.repeat(43)}\n`);
    expect(problems(findings)).toEqual([[2, 'fail', 'secretValue']]);
    expect(findings[0]?.message).toContain('SendGrid key');
  });

  it('fails secret-named settings written into configuration files, warning in a build stage', () => {
    const findings = lint(
      rule,
      [
        'FROM node:20 AS deps',
        'RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > /root/.npmrc && npm ci',
        'FROM redis:7',
        "RUN cat <<'EOF' > /etc/redis.conf",
        'requirepass s3cret-in-git',
        'password_file = /run/secrets/pw',
        'EOF',
        'RUN printf "[client]\\npassword=hunter2\\n" > /root/.my.cnf',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([
      [4, 'fail', 'secretInFile'],
      [8, 'fail', 'secretInFile'],
      [2, 'warn', 'secretInFile'],
    ]);
    expect(findings[0]?.message).toBe('RUN writes requirepass with a value into /etc/redis.conf, which stays in the shipped image (value not shown)');
    expect(findings.map((finding) => finding.message).join('\n')).not.toMatch(/hunter2|s3cret/);
  });

  it('reads build arguments recorded in an image history', () => {
    const model = dockerfileFromHistory('app:1', [{ CreatedBy: 'RUN |1 NPM_TOKEN=abc123 /bin/sh -c npm ci # buildkit' }]);
    expect(model.instructions[0]?.buildArgs).toEqual([{ key: 'NPM_TOKEN', value: 'abc123' }]);
  });
});
