import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA802.js';
import { DIGEST, lint, problems } from './support/snapshot.js';

describe('DA802 dockerfile-user-root', () => {
  it('passes a final stage that ends as a named or numeric non-root user', () => {
    expect(lint(rule, `FROM alpine:3.20@${DIGEST}\nUSER app:app\n`)[0]).toMatchObject({ status: 'pass', messageId: 'nonRoot', message: 'the shipped image runs as app:app' });
    expect(problems(lint(rule, `FROM alpine:3.20@${DIGEST}\nUSER root\nRUN make\nUSER 10001\n`))).toEqual([]);
  });

  it('fails a final stage without USER at its FROM, whatever the build stages set', () => {
    const findings = lint(rule, `FROM golang:1.22@${DIGEST} AS build\nUSER builder\nFROM debian:12@${DIGEST}\nCOPY --from=build /app /app\n`);
    expect(problems(findings)).toEqual([[3, 'fail', 'noUser']]);
    expect(findings[0]?.message).toContain(`debian:12@${DIGEST}`);
  });

  it('fails root, uid 0 and root:root as the last USER', () => {
    for (const user of ['root', '0', 'root:root', '0:0']) {
      expect(problems(lint(rule, `FROM alpine:3.20@${DIGEST}\nUSER app\nUSER ${user}\n`))).toEqual([[3, 'fail', 'root']]);
    }
  });

  it('resolves the user from ENV and ARG, and inherits it from the stage the final one is built FROM', () => {
    expect(problems(lint(rule, `FROM alpine AS base\nARG NAME=root\nUSER $NAME\nFROM base\nRUN true\n`))).toEqual([[3, 'fail', 'root']]);
    expect(problems(lint(rule, `FROM alpine AS base\nENV APP_USER=app\nUSER \${APP_USER}\nFROM base\n`))).toEqual([]);
  });

  it('asks a person when the user is a build argument without a default', () => {
    const findings = lint(rule, 'FROM alpine\nARG UID\nUSER $UID\n');
    expect(problems(findings)).toEqual([[3, 'manual', 'unresolved']]);
  });
});
