import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA816.js';
import { lint, problems } from './support/snapshot.js';

describe('DA816 dockerfile-sensitive-path', () => {
  it('passes application directories, subdirectories of /etc and WORKDIR /', () => {
    const findings = lint(rule, 'FROM nginx\nVOLUME /data /var/cache/nginx\nWORKDIR /\nWORKDIR /etc/nginx\nWORKDIR conf.d\n');
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'noSensitivePath' }]);
  });

  it('fails volumes on system paths and the runtime socket, warns about WORKDIR there', () => {
    const findings = lint(rule, 'FROM alpine\nVOLUME ["/", "/proc/sys"]\nVOLUME /var/run/docker.sock\nWORKDIR /usr\nWORKDIR bin\n');
    expect(problems(findings)).toEqual([
      [2, 'fail', 'volume'],
      [2, 'fail', 'volume'],
      [3, 'fail', 'volume'],
      [4, 'warn', 'workdir'],
      [5, 'warn', 'workdir'],
    ]);
    expect(findings[4]?.message).toBe('WORKDIR /usr/bin is a system directory: relative writes and COPY land in it');
  });
});
