import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA808.js';
import { lint, problems } from './support/snapshot.js';

describe('DA808 dockerfile-secret-file', () => {
  it('passes ordinary files, public keys and example env files', () => {
    const findings = lint(rule, 'FROM alpine\nCOPY . /app\nCOPY id_ed25519.pub .env.example cert.pem /etc/app/\n');
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'noSecretFile' }]);
  });

  it('fails each key or credential file copied into the shipped image', () => {
    const findings = lint(rule, 'FROM alpine\nCOPY id_rsa .git-credentials /root/\nADD ["secrets/.env.production", "/app/.env"]\nCOPY ~/.kube/config /root/.kube/config\n');
    expect(problems(findings)).toEqual([
      [2, 'fail', 'secretFile'],
      [2, 'fail', 'secretFile'],
      [3, 'fail', 'secretFile'],
      [4, 'fail', 'secretFile'],
    ]);
    expect(findings[0]?.message).toBe('COPY copies id_rsa (SSH private key) into the shipped image');
    expect(findings[3]?.message).toContain('Kubernetes credentials');
  });

  it('warns about credential files in a build stage', () => {
    const findings = lint(rule, 'FROM node:20 AS deps\nCOPY .npmrc package.json ./\nFROM node:20\n');
    expect(problems(findings)).toEqual([[2, 'warn', 'secretFileBuildStage']]);
  });
});
