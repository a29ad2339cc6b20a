import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/DA404.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

/** History as the API returns it: newest entry first. */
const history = (...createdBy: string[]) =>
  createdBy.reverse().map((CreatedBy, index) => ({ Id: '<missing>', Created: 1700000000 + index, CreatedBy, Size: 0, Comment: '' }));

describe('DA404 image-add-instruction', () => {
  it('fails a URL download without checksum and warns about archives and other ADDs, separately', () => {
    const findings = runRule(
      rule,
      snap()
        .image({
          repoTags: ['acme/tool:1'],
          history: history(
            'ADD alpine-minirootfs-3.19.0-x86_64.tar.gz / # buildkit',
            'ADD https://example.com/tool-1.2.tar.gz /opt/ # buildkit',
            'ADD --checksum=sha256:abcd https://example.com/verified.bin /opt/ # buildkit',
            'ADD vendor.tar.xz /srv/ # buildkit',
            'ADD --chown=app ["config.yml", "/etc/app/"] # buildkit',
            '/bin/sh -c #(nop) ADD file:5c9e0a1b2c3d in /usr/local/bin/ ',
          ),
        })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['acme/tool:1', 'fail', 'addUrl'],
      ['acme/tool:1', 'warn', 'addArchive'],
      ['acme/tool:1', 'warn', 'addOther'],
    ]);
    const [url, archive, other] = findings;
    expect(url?.message).toBe('ADD downloads from a URL without a checksum: ADD https://example.com/tool-1.2.tar.gz /opt/');
    expect(archive?.message).toContain('ADD vendor.tar.xz /srv/');
    expect(other?.message).toContain('ADD --chown=app ["config.yml", "/etc/app/"]; ADD file:5c9e0a1b2c3d in /usr/local/bin/');
  });

  it('passes the base layer added by ADD and later COPY instructions', () => {
    const findings = runRule(
      rule,
      snap()
        .image({
          repoTags: ['acme/app:1'],
          history: history('/bin/sh -c #(nop) ADD file:0a1b2c in / ', '/bin/sh -c #(nop)  CMD ["bash"]', 'COPY app.tar.gz /srv/ # buildkit', 'COPY . /app # buildkit'),
        })
        .image({ repoTags: ['acme/scratch:1'], history: history('COPY busybox /bin/busybox # buildkit') })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['acme/app:1', 'pass', 'noAdd'],
      ['acme/scratch:1', 'pass', 'noAdd'],
    ]);
  });

  it('reports imported images and unreadable histories without judging them', () => {
    const findings = runRule(
      rule,
      snap()
        .image({ repoTags: ['acme/imported:1'], history: [{ Id: 'sha256:1', Created: 0, CreatedBy: '', Size: 1, Comment: 'Imported from -' }] })
        .image({ repoTags: ['acme/unknown:1'], history: { unavailable: true, reason: 'not found' } })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['acme/imported:1', 'info', 'noBuildHistory'],
      ['acme/unknown:1', 'skipped', 'historyUnavailable'],
    ]);
    expect(findingFor(findings, 'acme/unknown:1').message).toContain('not found');
  });
});

describe('DA404 keeps secrets in URLs out of its messages', () => {
  it('redacts the password of a URL that ADD downloads from', () => {
    const secret = 'glpat-SeCrEt0123456789abcd';
    const findings = runRule(
      rule,
      snap()
        .image({ repoTags: ['acme/add:1'], history: history('/bin/sh -c #(nop) ADD file:0a1b2c in / ', `ADD https://ci:${secret}@git.example.com/tool.bin /usr/bin/tool # buildkit`) })
        .build(),
    );
    expect(findings).toMatchObject([{ status: 'fail', messageId: 'addUrl' }]);
    expect(findings[0]?.message).toContain('https://ci:***@git.example.com/tool.bin');
    expect(findings[0]?.message).not.toContain(secret);
  });
});
