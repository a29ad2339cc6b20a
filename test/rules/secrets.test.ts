import { describe, expect, it } from 'vitest';
import { isSecretName } from '../../src/rules/secrets.js';

describe('isSecretName', () => {
  it('gives one answer for names the Dockerfile, Compose, image and swarm rules each knew', () => {
    const secret = ['WEBPASSWORD', 'AZURE_CONNECTION_STRING', 'SSH_KEY', 'appKey', 'AWS_ACCESS_KEY', 'DB_PW', 'client.secret', 'GITHUB_TOKEN'];
    const harmless = ['JWT_SECRET_ISSUER', 'API_KEY_ARN', 'DB_PASSWORD_USER', 'OLDPWD', 'PASS_THROUGH', 'TOKEN_TTL', 'NAME', 'KEY'];
    expect(secret.filter(isSecretName)).toEqual(secret);
    expect(harmless.filter(isSecretName)).toEqual([]);
  });
});
