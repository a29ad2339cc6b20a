import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/dockerfile/DA822.js';
import { lint, problems } from './support/snapshot.js';

describe('DA822 dockerfile-plain-http-download', () => {
  it('fails curl, wget and ADD over plain http, in every shape of RUN', () => {
    const findings = lint(
      rule,
      [
        'FROM debian:12',
        'RUN curl -fsSL http://downloads.example.com/tool.tar.gz | tar xz -C /opt',
        'RUN set -eux; \\',
        '    wget -O /tmp/app.zip \\',
        '      http://mirror.example.org/app-1.2.zip; \\',
        '    unzip /tmp/app.zip',
        'RUN sh -c "wget -qO- http://get.example.net/data.json > /data.json"',
        'ADD http://example.com/archive.tar.gz /tmp/',
        'RUN curl -o /tmp/x http://user:hunter2pass@files.example.com/x',
        'RUN curl http://10.0.0.5:8080/artifact.jar -o /app.jar',
        '',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([
      [2, 'fail', 'plainHttp'],
      [3, 'fail', 'plainHttp'],
      [7, 'fail', 'plainHttp'],
      [8, 'fail', 'plainHttp'],
      [9, 'fail', 'plainHttp'],
      [10, 'fail', 'plainHttp'],
    ]);
    expect(findings[0]?.message).toBe('curl fetches http://downloads.example.com/tool.tar.gz over plain HTTP, unverified: anyone on the path can change what the build gets');
    expect(findings.map((finding) => finding.message).join('\n')).not.toContain('hunter2pass');
  });

  it('passes https, loopback, verified downloads, ADD --checksum and http URLs that are not downloads', () => {
    const findings = lint(
      rule,
      [
        'FROM debian:12',
        'RUN curl -fsSL https://downloads.example.com/tool.tar.gz | tar xz',
        'RUN curl -f http://localhost:8080/health && wget -q http://127.0.0.1/x && curl http://[::1]:9000/',
        'RUN wget http://example.com/app.tgz && echo "abc  app.tgz" | sha256sum -c -',
        'ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d http://example.com/a.tgz /tmp/',
        'RUN echo "deb http://deb.debian.org/debian bookworm main" > /etc/apt/sources.list',
        'HEALTHCHECK CMD curl -f http://localhost/ || exit 1',
        '',
      ].join('\n'),
    );
    expect(problems(findings)).toEqual([]);
    expect(findings).toMatchObject([{ status: 'pass', messageId: 'noPlainHttp' }]);
  });
});
