import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/DA462.js';
import type { RegistryFacts } from '../../../src/snapshot/registry.js';
import { runRule, summary } from '../../helpers/rule-tester.js';
import { snap } from '../../helpers/builder.js';

const OLD = `sha256:${'1'.repeat(64)}`;
const NEW = `sha256:${'2'.repeat(64)}`;
const IMAGE_OLD = `sha256:${'a'.repeat(64)}`;
const IMAGE_NEW = `sha256:${'b'.repeat(64)}`;

function build(registry: RegistryFacts | undefined) {
  return snap()
    .image({ id: IMAGE_OLD, repoTags: [], repoDigests: [`localhost:5000/app@${OLD}`] })
    .image({ id: IMAGE_NEW, repoTags: ['localhost:5000/app:1'], repoDigests: [`localhost:5000/app@${NEW}`, `mirror.example.com/app@${OLD}`] })
    .image({ id: `sha256:${'c'.repeat(64)}`, repoTags: ['local/app:1'], repoDigests: [] })
    .container({ name: 'web-old', image: 'localhost:5000/app:1', imageId: IMAGE_OLD })
    .container({ name: 'web-new', image: 'localhost:5000/app:1', imageId: IMAGE_NEW })
    .container({ name: 'built-here', image: 'local/app:1', imageId: `sha256:${'c'.repeat(64)}` })
    .container({ name: 'hub', image: 'nginx:1.25', imageId: IMAGE_NEW })
    .with((snapshot) => {
      if (registry) snapshot.registry = registry;
    })
    .build();
}

describe('DA462 image-newer-in-registry', () => {
  const facts: RegistryFacts = {
    checkedAt: '2026-12-07T00:00:00Z',
    tags: [
      { reference: 'localhost:5000/app:1', digest: NEW },
      { reference: 'local/app:1', digest: OLD },
      { reference: 'nginx:1.25', reason: 'registry-1.docker.io: no answer within 10 s' },
    ],
  };

  it('fails containers whose image is not the one the tag names now, passes those that run it', () => {
    const findings = runRule(rule, build(facts));
    expect(summary(findings)).toEqual([
      ['localhost:5000/app:1', 'fail', 'newer'],
      ['local/app:1', 'skipped', 'notFromRegistry'],
      ['nginx:1.25', 'skipped', 'unreachable'],
      ['localhost:5000/app:1', 'pass', 'current'],
    ]);
    expect(findings[0]?.message).toBe('localhost:5000/app:1 names 222222222222 in the registry now; web-old run(s) image aaaaaaaaaaaa pulled as 111111111111: pull and recreate them');
    expect(findings[2]?.message).toBe('not checked: registry-1.docker.io: no answer within 10 s');
    expect(findings[3]?.message).toBe('localhost:5000/app:1 still names 222222222222 in the registry, the image web-new run(s)');
  });

  it('reports nothing when the registry was not asked', () => {
    expect(runRule(rule, build(undefined))).toEqual([]);
  });
});
