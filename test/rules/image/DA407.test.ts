import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/DA407.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

const DIGEST = 'sha256:' + 'f'.repeat(64);

const images = () =>
  snap()
    .image({ repoTags: ['nginx:1.25'], repoDigests: [`nginx@${DIGEST}`] })
    .image({ repoTags: ['ghcr.io/acme/api:2'], repoDigests: [`ghcr.io/acme/api@${DIGEST}`] })
    .image({ repoTags: ['ghcr.io/other/tool:1'], repoDigests: [`ghcr.io/other/tool@${DIGEST}`] })
    .image({ repoTags: ['acme/app:dev'], repoDigests: [] })
    .image({ id: 'sha256:' + '7'.repeat(64), repoTags: ['<none>:<none>'], repoDigests: ['<none>@<none>'] });

describe('DA407 image-provenance', () => {
  it('without an allow-list, lists the registries images came from and names images of no registry origin', () => {
    const findings = runRule(rule, images().build());
    expect(summary(findings)).toEqual([
      ['777777777777', 'warn', 'noOrigin'],
      ['acme/app:dev', 'warn', 'noOrigin'],
      ['ghcr.io/acme/api:2', 'info', 'registriesSeen'],
      ['ghcr.io/other/tool:1', 'info', 'registriesSeen'],
      ['nginx:1.25', 'info', 'registriesSeen'],
    ]);
    expect(findingFor(findings, 'nginx:1.25').message).toBe('pulled from docker.io; no registry allow-list configured (option allowedRegistries)');
    expect(findingFor(findings, 'acme/app:dev').message).toContain('tags: acme/app:dev');
    expect(findingFor(findings, '777777777777').message).toContain('tags: none');
  });

  it('with an allow-list of registries and registry paths, fails references outside it, tags included', () => {
    const findings = runRule(rule, images().build(), { allowedRegistries: ['index.docker.io', 'ghcr.io/acme/'] });
    expect(summary(findings)).toEqual([
      ['ghcr.io/other/tool:1', 'fail', 'notAllowed'],
      ['777777777777', 'warn', 'noOrigin'],
      ['acme/app:dev', 'warn', 'noOrigin'],
      ['ghcr.io/acme/api:2', 'pass', 'allowed'],
      ['nginx:1.25', 'pass', 'allowed'],
    ]);
    const other = findingFor(findings, 'ghcr.io/other/tool:1');
    expect(other.message).toBe(`references outside the allowed registries: ghcr.io/other/tool@${DIGEST}, ghcr.io/other/tool:1 (allowed: index.docker.io, ghcr.io/acme/)`);
  });

  it('fails a locally built image tagged for a registry that is not allowed', () => {
    const findings = runRule(rule, snap().image({ repoTags: ['evil.example.com/app:1'] }).build(), { allowedRegistries: ['registry.acme.io'] });
    expect(summary(findings)).toEqual([['evil.example.com/app:1', 'fail', 'notAllowed']]);
  });
});
