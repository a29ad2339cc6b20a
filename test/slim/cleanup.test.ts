import { describe, expect, it } from 'vitest';
import { created, createdCount, removeAllCreated } from '../../src/slim/cleanup.js';
import { canonicalTag } from '../../src/slim/index.js';

describe('what slim created', () => {
  it('is removed once where it was made, and then no longer listed', async () => {
    let removals = 0;
    const thing = created(async () => {
      removals += 1;
    });
    expect(createdCount()).toBe(1);
    await thing.remove();
    await thing.remove();
    expect(removals).toBe(1);
    expect(createdCount()).toBe(0);
    await removeAllCreated(1000);
    expect(removals).toBe(1);
  });

  it('is all removed on a signal, one whose creation is still in flight too, and a failing removal does not stop the others', async () => {
    const removed: string[] = [];
    let finishCreate: (id: string) => void = () => undefined;
    const creating = new Promise<string>((resolve) => (finishCreate = resolve));
    created(async () => removed.push(await creating));
    created(async () => {
      throw new Error('gone already');
    });
    created(async () => removed.push('directory'));
    const all = removeAllCreated(5000);
    setTimeout(() => finishCreate('container-1'), 20);
    await all;
    expect(removed.sort()).toEqual(['container-1', 'directory']);
    expect(createdCount()).toBe(0);
  });

  it('gives up on a removal that never ends when the time is up', async () => {
    created(() => new Promise(() => undefined));
    const started = Date.now();
    await removeAllCreated(50);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('--tag against the source image', () => {
  it('writes one name one way, whatever the short form', () => {
    expect(canonicalTag('app')).toBe(canonicalTag('app:latest'));
    expect(canonicalTag('app:1')).toBe(canonicalTag('docker.io/library/app:1'));
    expect(canonicalTag('da-test/app:1')).toBe(canonicalTag('index.docker.io/da-test/app:1'));
    expect(canonicalTag('app:1')).not.toBe(canonicalTag('app:2'));
    expect(canonicalTag('registry.example.com/app:1')).not.toBe(canonicalTag('app:1'));
  });
});
