import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/DA403.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

/** History as the API returns it: newest entry first. */
const history = (...createdBy: string[]) =>
  createdBy.reverse().map((CreatedBy, index) => ({ Id: '<missing>', Created: 1700000000 + index, CreatedBy, Size: 0, Comment: '' }));

const BASE = ['/bin/sh -c #(nop) ADD file:0a1b2c in / ', '/bin/sh -c #(nop)  CMD ["bash"]'];

describe('DA403 image-update-alone', () => {
  it('warns about RUN instructions that update without installing, from either builder, quoting them', () => {
    const findings = runRule(
      rule,
      snap()
        .image({
          repoTags: ['acme/classic:1'],
          history: history(...BASE, '/bin/sh -c apt-get update', '/bin/sh -c apt-get install -y curl'),
        })
        .image({
          repoTags: ['acme/buildkit:1'],
          history: history(
            ...BASE,
            'RUN /bin/sh -c set -eux;     apk update # buildkit',
            'RUN /bin/sh -c dnf -y --setopt=tsflags=nodocs upgrade && dnf clean all # buildkit',
            'RUN /bin/sh -c apk add curl # buildkit',
          ),
        })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['acme/buildkit:1', 'warn', 'updateAlone'],
      ['acme/classic:1', 'warn', 'updateAlone'],
    ]);
    expect(findingFor(findings, 'acme/classic:1').message).toBe(
      '1 RUN instruction(s) update packages without installing any in the same instruction: "apt-get update"',
    );
    expect(findingFor(findings, 'acme/buildkit:1').message).toContain('2 RUN instruction(s)');
    expect(findingFor(findings, 'acme/buildkit:1').message).toContain('"dnf -y --setopt=tsflags=nodocs upgrade && dnf clean all"');
  });

  it('passes updates installed in the same instruction, and mentions of "update" that are not package updates', () => {
    const findings = runRule(
      rule,
      snap()
        .image({
          repoTags: ['acme/good:1'],
          history: history(
            ...BASE,
            '/bin/sh -c apt-get update &&     DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates &&     rm -rf /var/lib/apt/lists/*',
            '|1 V=2 /bin/sh -c echo "run apt-get update later" > /notes && update-ca-certificates',
            'RUN /bin/sh -c if [ -x /usr/bin/apt-get ]; then apt-get -o Acquire::Retries=3 update && apt-get -qq install git; fi # buildkit',
            'RUN /bin/sh -c pacman -Syu --noconfirm git # buildkit',
          ),
        })
        .build(),
    );
    expect(summary(findings)).toEqual([['acme/good:1', 'pass', 'noUpdateAlone']]);
    expect(findingFor(findings, 'acme/good:1').message).toContain('4 RUN instructions read');
  });

  it('reports an imported image as having no build history, and an unreadable history as skipped', () => {
    const findings = runRule(
      rule,
      snap()
        .image({ repoTags: ['acme/imported:1'], history: [{ Id: 'sha256:1', Created: 1700000000, CreatedBy: '', Size: 100, Comment: 'Imported from -' }] })
        .image({ repoTags: ['acme/broken:1'], history: { unavailable: true, reason: 'history request failed: 500' } })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['acme/imported:1', 'info', 'noBuildHistory'],
      ['acme/broken:1', 'skipped', 'historyUnavailable'],
    ]);
    expect(findingFor(findings, 'acme/broken:1').message).toContain('500');
  });
});

describe('DA403 keeps secrets in RUN commands out of its messages', () => {
  it('redacts a token in a RUN that only updates packages', () => {
    const secret = 'Hunter2-apt-token';
    const findings = runRule(
      rule,
      snap()
        .image({ repoTags: ['acme/upd:1'], history: history(...BASE, `/bin/sh -c apt-get update -o Acquire::https::Proxy=https://u:${secret}@proxy && APT_TOKEN=${secret} true`) })
        .build(),
    );
    expect(findings).toMatchObject([{ status: 'warn', messageId: 'updateAlone' }]);
    expect(findings[0]?.message).toContain('APT_TOKEN=***');
    expect(findings[0]?.message).not.toContain(secret);
  });
});
