import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA803.js';
import { lint, problems } from './support/snapshot.js';

describe('DA803 dockerfile-add-instead-of-copy', () => {
  it('passes COPY, ADD of local archives and ADD of remote sources', () => {
    const findings = lint(rule, 'FROM alpine\nCOPY app /app\nADD rootfs.tar.xz /\nADD https://example.com/x.tgz /tmp/\nADD git@github.com:a/b.git /src\n');
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'copyUsed', subject: { kind: 'file', name: 'Dockerfile' } }]);
  });

  it('fails ADD of plain local files at the instruction, naming them', () => {
    const findings = lint(rule, 'FROM alpine\nADD app.py requirements.txt /app/\nADD ["conf dir", "/etc/app"]\n');
    expect(problems(findings)).toEqual([
      [2, 'fail', 'useCopy'],
      [3, 'fail', 'useCopy'],
    ]);
    expect(findings[0]?.message).toContain('app.py, requirements.txt');
    expect(findings[1]?.message).toContain('conf dir');
    expect(findings[0]?.location).toEqual({ file: 'Dockerfile', line: 2, column: 1 });
  });

  it('looks at every stage and at ONBUILD triggers', () => {
    expect(problems(lint(rule, 'FROM alpine AS build\nADD src /src\nFROM alpine\nONBUILD ADD . /app\n'))).toEqual([
      [2, 'fail', 'useCopy'],
      [4, 'fail', 'useCopy'],
    ]);
  });
});
