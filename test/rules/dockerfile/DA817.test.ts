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
});
