import { describe, expect, it } from 'vitest';
import { isSecretName, secretShape, secretShapeInSentence } from '../../src/rules/shared/secrets.js';

describe('isSecretName', () => {
  it('gives one answer for names the Dockerfile, Compose, image and swarm rules each knew', () => {
    const secret = ['WEBPASSWORD', 'AZURE_CONNECTION_STRING', 'SSH_KEY', 'appKey', 'AWS_ACCESS_KEY', 'DB_PW', 'client.secret', 'GITHUB_TOKEN'];
    const harmless = ['JWT_SECRET_ISSUER', 'API_KEY_ARN', 'DB_PASSWORD_USER', 'OLDPWD', 'PASS_THROUGH', 'TOKEN_TTL', 'NAME', 'KEY'];
    expect(secret.filter(isSecretName)).toEqual(secret);
    expect(harmless.filter(isSecretName)).toEqual([]);
  });
});

describe('isSecretName with short secret words glued to an account', () => {
  it('takes a known account or service glued to PASS, PWD or PW as the last word', () => {
    const secret = ['LDAP_ROOTPASS', 'LDAP_ADMINPASS', 'ROOTPASS', 'MYSQL_ROOTPWD', 'VNCPW', 'KEYSTOREPASS', 'slapdRootpass', 'FTP_USERPASS'];
    expect(secret.filter(isSecretName)).toEqual(secret);
  });

  it('leaves words that only end like one, and names that point at the secret', () => {
    const harmless = ['PROXY_BYPASS', 'BYPASS', 'COMPASS', 'SURPASS', 'TRESPASS', 'LDAP_ROOTPASS_FILE', 'ROOTPASS_PATH', 'ENCOMPASS', 'OVERPASS_URL', 'NPW', 'PASSENGER_APP_ENV'];
    expect(harmless.filter(isSecretName)).toEqual([]);
  });
});

describe('secretShape', () => {
  const samples: Record<string, string> = {
    'private key': '-----BEGIN OPENSSH PRIVATE KEY-----',
    'AWS access key id': 'AKIAIOSFODNN7EXAMPLE',
    'GitHub token': `ghp_${'a1B2'.repeat(9)}`,
    'GitLab token': 'glpat-abcdefghij0123456789',
    'Slack token': 'xoxb-1234567890-abcdef',
    'Slack webhook': 'https://hooks.slack.com/services/T0000/B0000/abcdef123456',
    'Google API key': `AIza${'x'.repeat(35)}`,
    'Stripe secret key': `sk_live_${'a'.repeat(24)}`,
    'npm token': `npm_${'a'.repeat(36)}`,
    'PyPI token': `pypi-AgEIcHlwaS5vcmc${'a'.repeat(50)}`,
    'SendGrid key': `SG.${'a'.repeat(22)}.${'b'.repeat(43)}`,
    'JSON Web Token': 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnop',
    'URL with a password in it': 'https://deploy:s3cr3t@registry.example.com/repo',
  };

  it('recognises every kind of credential it knows, inside a longer value too', () => {
    for (const [kind, value] of Object.entries(samples)) {
      expect(secretShape(value), kind).toBe(kind);
      expect(secretShape(`token ${value} end`), kind).toBe(kind);
    }
  });

  it('names the kind with its article for a sentence', () => {
    expect(secretShapeInSentence(samples['AWS access key id'] as string)).toBe('an AWS access key id');
    expect(secretShapeInSentence(samples['npm token'] as string)).toBe('an npm token');
    expect(secretShapeInSentence(samples['URL with a password in it'] as string)).toBe('a URL with a password in it');
    expect(secretShapeInSentence('plain')).toBeUndefined();
  });

  it('takes a URL with an empty user, but not a password that is a variable reference', () => {
    expect(secretShape('redis://:s3cr3tpass@redis:6379/0')).toBe('URL with a password in it');
    expect(secretShape('postgres://app:${DB_PASSWORD}@db/app')).toBeUndefined();
    expect(secretShape('https://user:$TOKEN@git.example.com/repo.git')).toBeUndefined();
  });

  it('passes plain values, URLs with a port included', () => {
    for (const value of ['apt-get install -y curl', 'https://example.com:8443/download/tool.tar.gz', 'AKIA-not-a-key-at-all', 'short', 'SG.short.value']) {
      expect(secretShape(value), value).toBeUndefined();
    }
  });
});
