import { describe, expect, it } from 'vitest';
import { secretShape } from '../../../src/rules/dockerfile/support/secrets.js';

describe('secretShape', () => {
  it('recognises every kind of credential it knows', () => {
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
      'JSON web token': 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnop',
      'password in a URL': 'https://deploy:s3cr3t@registry.example.com/repo',
    };
    for (const [kind, value] of Object.entries(samples)) expect(secretShape(`token ${value} end`), kind).toBe(kind);
  });

  it('passes plain values, URLs with a port included', () => {
    for (const value of ['apt-get install -y curl', 'https://example.com:8443/download/tool.tar.gz', 'AKIA-not-a-key-at-all', 'short']) {
      expect(secretShape(value), value).toBeUndefined();
    }
  });
});
