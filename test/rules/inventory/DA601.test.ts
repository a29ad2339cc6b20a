import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/inventory/DA601.js';
import { snap } from '../../helpers/builder.js';
import { runRule, summary } from '../../helpers/rule-tester.js';

const id = (digit: string) => 'sha256:' + digit.repeat(64);

const inventory = () =>
  snap()
    .image({ id: id('1'), repoTags: ['nginx:1.25'] })
    .image({ id: id('2'), repoTags: ['acme/app:1'] })
    .image({ id: id('3'), repoTags: ['acme/app:0.9'] })
    .image({ id: id('4'), repoTags: [] })
    .image({ id: id('5'), repoTags: ['<none>:<none>'] })
    .container({ name: 'web', imageId: id('1') })
    .container({ name: 'old-web', state: 'exited', imageId: id('1') })
    .container({ name: 'app', state: 'created', imageId: id('2') });

describe('DA601 inventory-image-sprawl', () => {
  it('counts images, used, unused and dangling, as info below the threshold', () => {
    const findings = runRule(rule, inventory().build());
    expect(summary(findings)).toEqual([['docker', 'info', 'counts']]);
    expect(findings[0]?.subject).toEqual({ kind: 'host', name: 'docker' });
    expect(findings[0]?.message).toBe('5 images: 2 used by containers, 3 unused, 2 dangling');
  });

  it('warns when unused images exceed the threshold, naming them', () => {
    const findings = runRule(rule, inventory().build(), { maxUnusedImages: 2 });
    expect(summary(findings)).toEqual([['docker', 'warn', 'sprawl']]);
    expect(findings[0]?.message).toBe('5 images: 2 used by containers, 3 unused (more than 2), 2 dangling; unused: acme/app:0.9, 444444444444, 555555555555');
  });

  it('names at most ten unused images', () => {
    const builder = snap();
    for (let index = 0; index < 12; index += 1) builder.image({ repoTags: [`acme/tool:${index}`] });
    const findings = runRule(rule, builder.build(), { maxUnusedImages: 0 });
    expect(findings[0]?.message).toContain('acme/tool:9 and 2 more');
  });

  it('is skipped when containers could not be listed, since unused images cannot be told', () => {
    const findings = runRule(
      rule,
      inventory()
        .with((snapshot) => {
          snapshot.containers = { unavailable: true, reason: 'permission denied' };
        })
        .build(),
    );
    expect(summary(findings)).toEqual([['docker', 'skipped', '__skipped']]);
  });
});
