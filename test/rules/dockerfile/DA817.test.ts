import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA817.js';
import { lint, problems } from './support/snapshot.js';

describe('DA817 dockerfile-setuid', () => {
  it('passes removing special bits and ordinary modes', () => {
    const findings = lint(rule, 'FROM debian\nRUN chmod -R a-s /usr && chmod 0755 /x && chmod 1777 /tmp && chmod +x run.sh && chmod -s /y\nCOPY --chmod=755 a /a\n');
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'noSetuid' }]);
  });

  it('fails chmod and install modes that set setuid or setgid, and COPY --chmod', () => {
    const findings = lint(rule, 'FROM debian\nRUN chmod u+s,g+x /bin/tool\nRUN chmod -R 02755 /srv/shared\nRUN install -m 4711 -o root helper /usr/bin/helper\nCOPY --chmod=6755 tool /usr/bin/tool\n');
    expect(problems(findings)).toEqual([
      [2, 'fail', 'chmod'],
      [3, 'fail', 'chmod'],
      [4, 'fail', 'chmod'],
      [5, 'fail', 'copyChmod'],
    ]);
    expect(findings[0]?.message).toBe('chmod u+s,g+x sets the setuid/setgid bit on /bin/tool');
    expect(findings[2]?.message).toBe('install -m 4711 sets the setuid/setgid bit on helper, /usr/bin/helper');
  });

  it('ignores build stages', () => {
    expect(problems(lint(rule, 'FROM debian AS build\nRUN chmod u+s /x\nFROM debian\n'))).toEqual([]);
  });

  it('reads numeric modes by their special digit only', () => {
    const findings = lint(
      rule,
      ['FROM debian', 'RUN chmod 4755 /a', 'RUN chmod 2711 /b', 'RUN chmod 04755 /c', 'RUN chmod 7777 /d', 'RUN chmod 1755 /e', 'RUN chmod 755 /f', 'RUN chmod 01777 /g', 'RUN chmod 0 /h', 'RUN chmod 475512 /i'].join('\n'),
    );
    expect(findings.map((finding) => [finding.location?.line, finding.status, finding.message])).toEqual([
      [2, 'fail', 'chmod 4755 sets the setuid/setgid bit on /a'],
      [3, 'fail', 'chmod 2711 sets the setuid/setgid bit on /b'],
      [4, 'fail', 'chmod 04755 sets the setuid/setgid bit on /c'],
      [5, 'fail', 'chmod 7777 sets the setuid/setgid bit on /d'],
    ]);
  });

  it('reads symbolic modes clause by clause and operation by operation', () => {
    const findings = lint(
      rule,
      [
        'FROM debian',
        'RUN chmod g+s /a',
        'RUN chmod +s /b',
        'RUN chmod u=rwxs /c /d',
        'RUN chmod o+t,u+x,a+s /e',
        'RUN chmod u-x+s /f',
        'RUN chmod u+x+s /g',
        'RUN chmod u+s-x /h',
        'RUN chmod u+x-s /i',
        'RUN chmod o+t,u-s /j',
        'RUN chmod u+S /k',
        'RUN chmod xu+s /l',
      ].join('\n'),
    );
    expect(findings.map((finding) => [finding.location?.line, finding.status, finding.message])).toEqual([
      [2, 'fail', 'chmod g+s sets the setuid/setgid bit on /a'],
      [3, 'fail', 'chmod +s sets the setuid/setgid bit on /b'],
      [4, 'fail', 'chmod u=rwxs sets the setuid/setgid bit on /c, /d'],
      [5, 'fail', 'chmod o+t,u+x,a+s sets the setuid/setgid bit on /e'],
      [6, 'fail', 'chmod u-x+s sets the setuid/setgid bit on /f'],
      [7, 'fail', 'chmod u+x+s sets the setuid/setgid bit on /g'],
      [8, 'fail', 'chmod u+s-x sets the setuid/setgid bit on /h'],
    ]);
  });

  it('skips chmod options and reads install modes however given', () => {
    const findings = lint(
      rule,
      [
        'FROM debian',
        'RUN chmod -v --changes --no-preserve-root -f g+s /a',
        'RUN chmod --reference=/bin/ls /b',
        'RUN chmod',
        'RUN install --mode=2755 a /usr/bin/a',
        'RUN install -m6755 -o root -g staff -t /usr/bin tool',
        'RUN install -d -m 0755 /srv && install -m 755 x /y',
        'RUN install -o 4755 x /z',
      ].join('\n'),
    );
    expect(findings.map((finding) => [finding.location?.line, finding.status, finding.message])).toEqual([
      [2, 'fail', 'chmod g+s sets the setuid/setgid bit on /a'],
      [5, 'fail', 'install -m 2755 sets the setuid/setgid bit on a, /usr/bin/a'],
      [6, 'fail', 'install -m 6755 sets the setuid/setgid bit on tool'],
    ]);
  });

  it('fails ADD and COPY --chmod, not other flags, at the instruction, with the rule\'s metadata', () => {
    const findings = lint(rule, 'FROM debian\nCOPY --chown=1:1 a /a\nADD --chmod=0755 b /b\n  ADD --chmod=4755 c d /e/\nWORKDIR /e\n');
    expect(findings).toEqual([expect.objectContaining({ status: 'fail', messageId: 'copyChmod', message: 'ADD --chmod=4755 sets the setuid/setgid bit on c, d', location: { file: 'Dockerfile', line: 4, column: 3 } })]);
    expect(findings[0]).toMatchObject({
      ruleId: 'DA817',
      alias: 'dockerfile-setuid',
      title: 'No setuid or setgid bits are added in the shipped image',
      severity: 'high',
      subject: { kind: 'file', name: 'Dockerfile' },
      references: { cis: [], checklist: ['PERM-2'], related: ['4.8'] },
    });
    expect(findings[0]?.remediation).toMatch(/^Do not set the setuid\/setgid bits; grant the one capability/);
    expect(rule.meta.rationale).toMatch(/^A setuid or setgid program runs with its owner's or group's rights/);
  });

  it('has nothing to say about a file without a stage, and passes one without findings', () => {
    expect(lint(rule, 'RUN chmod u+s /x\n')).toEqual([]);
    expect(lint(rule, 'FROM debian\n')).toEqual([expect.objectContaining({ status: 'pass', messageId: 'noSetuid', message: 'no setuid or setgid bit is added' })]);
  });
});
