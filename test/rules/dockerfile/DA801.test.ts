import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA801.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { DIGEST, lint, problems } from './support/snapshot.js';

describe('DA801 dockerfile-parse-error', () => {
  it('passes a file that parses and names its size', () => {
    const findings = lint(rule, `FROM alpine:3.20@${DIGEST}\nRUN echo hi\n`);
    expect(summary(findings)).toEqual([['Dockerfile', 'pass', 'parsed']]);
    expect(findings[0]?.message).toBe('parsed: 2 instructions in 1 stages');
  });

  it('reports every line that does not parse at its location, and keeps going', () => {
    const findings = lint(rule, ['FROM alpine', 'BOGUS x', "RUN echo 'open", 'RUN true &&', 'RUN <<EOF', 'never closed'].join('\n'));
    expect(problems(findings)).toEqual([
      [2, 'fail', 'problem'],
      [3, 'fail', 'problem'],
      [4, 'fail', 'problem'],
      [5, 'fail', 'problem'],
    ]);
    expect(findings.map((finding) => finding.message)).toEqual([
      'cannot parse: unknown instruction BOGUS',
      'cannot parse: unterminated single quote',
      'cannot parse: expected a command after "&&"',
      'cannot parse: heredoc <<EOF is never closed',
    ]);
    expect(findings[1]?.location).toEqual({ file: 'Dockerfile', line: 3, column: 10 });
    expect(findings[0]).toMatchObject({ ruleId: 'DA801', severity: 'high', subject: { kind: 'file', name: 'Dockerfile' } });
  });

  it('never shows a line of a file that is not a Dockerfile, only a plain word', () => {
    const findings = lint(rule, 'root:$6$Hunter2salt$hash:19000:0:99999:7:::\nAPI_TOKEN=ghp_Hunter2\nFROM alpine\nRUNN true\n');
    expect(findings.map((finding) => finding.message)).toEqual([
      'cannot parse: unknown instruction (a 43-character word, not shown)',
      'cannot parse: (a 43-character word, not shown) before the first FROM',
      'cannot parse: unknown instruction (a 21-character word, not shown)',
      'cannot parse: unknown instruction RUNN',
    ]);
  });

  it('reports instructions before the first FROM and files without one', () => {
    expect(problems(lint(rule, 'RUN echo hi\nFROM alpine\n'))).toEqual([[1, 'fail', 'problem']]);
    expect(lint(rule, 'ARG X=1\n')[0]?.message).toBe('cannot parse: no FROM instruction');
  });

  it('errors on binary and refused files with the reason, so the run cannot pass', () => {
    const snapshot = snap()
      .with((s) => {
        s.files = {
          files: [
            { path: 'bin/Dockerfile', kind: 'dockerfile', content: 'FROM x\u0000\u0001' },
            { path: 'big/Dockerfile', kind: 'dockerfile', skipped: 'larger than 1 MiB' },
          ],
        };
      })
      .build();
    const findings = runRule(rule, snapshot);
    expect(findingFor(findings, 'bin/Dockerfile')).toMatchObject({ status: 'error', messageId: 'skipped', message: 'not analysed: binary content (NUL byte)' });
    expect(findingFor(findings, 'big/Dockerfile')).toMatchObject({
      status: 'error',
      messageId: 'skipped',
      message: 'not analysed: larger than 1 MiB',
      location: { file: 'big/Dockerfile', line: 1, column: 1 },
    });
  });

  it('warns about a suppression comment without a reason, at the line it meant to cover', () => {
    const findings = lint(rule, `FROM alpine:3.20@${DIGEST}\n# dockaudit ignore=DA810\nRUN sudo true\n`);
    expect(problems(findings)).toEqual([[3, 'warn', 'badSuppression']]);
    expect(findings[0]?.message).toContain('line 2');
  });

  it('reports nothing when no file was given: Dockerfile rules were not asked for', () => {
    expect(summary(runRule(rule, snap().build()))).toEqual([]);
  });
});
