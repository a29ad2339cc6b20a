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

describe('DA814 asks for a HEALTHCHECK only where the image serves', () => {
  it('fails a missing HEALTHCHECK when the image exposes a port, runs a server or keeps a server base command', () => {
    const cases = [
      'FROM python:3.12-slim\nCOPY . /app\nEXPOSE 8000\nCMD ["python", "app.py"]\n',
      'FROM python:3.12-slim\nCMD ["gunicorn", "--bind", "0.0.0.0:8000", "wsgi:app"]\n',
      'FROM debian:12-slim\nCOPY server /app/bin/server\nCMD ["/app/bin/server"]\n',
      'FROM node:20-slim\nCMD ["npm", "start"]\n',
      'FROM php:8.3-apache\nCOPY src/ /var/www/html/\n',
      'FROM docker:26-dind\nENTRYPOINT ["entrypoint.sh"]\n',
    ];
    for (const content of cases) expect(problems(lint(rule, content)), content).toEqual([[1, 'fail', 'missing']]);
    const findings = lint(rule, cases[0] as string);
    expect(findings[0]?.message).toBe(
      'the final stage declares no HEALTHCHECK although the image serves (EXPOSE 8000): the engine cannot tell when the service stops working (unless python:3.12-slim declares one)',
    );
  });

  it('passes CLI tools, jobs and base images, saying why', () => {
    const cases: [string, string][] = [
      ['FROM alpine:3.20\nRUN apk add --no-cache htop\nENTRYPOINT ["htop"]\n', 'it exposes no port and runs htop, not a known server'],
      ['FROM alpine:3.20\nCMD ["kubectl", "version", "--client"]\n', 'it exposes no port and runs kubectl, not a known server'],
      ['FROM nvidia/cuda:12.2.0-runtime-ubuntu22.04\nCMD ["python3", "train.py"]\n', 'it exposes no port and runs python3, not a known server'],
      ['FROM debian:12\nRUN apt-get install -y build-essential\n', 'it exposes no port and has no command of its own: a base for other images'],
      ['FROM golang:1.22 AS build\nEXPOSE 8080\nFROM scratch\nCOPY --from=build /out/tool /tool\nENTRYPOINT ["/tool"]\n', 'it exposes no port and runs tool, not a known server'],
    ];
    for (const [content, evidence] of cases) {
      const findings = lint(rule, content);
      expect(findings, content).toMatchObject([{ status: 'pass', messageId: 'notService' }]);
      expect(findings[0]?.message).toBe(`no HEALTHCHECK, and none is expected: ${evidence}`);
    }
  });
});
