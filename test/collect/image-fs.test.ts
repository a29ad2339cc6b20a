import { describe, expect, it } from 'vitest';
import { finalLayerOf, finalText, imageFilesystem, removalOf } from '../../src/views/image-fs.js';
import { layer, scannedImage } from '../rules/image/scan-builder.js';

describe('imageFilesystem', () => {
  const image = scannedImage([
    layer({ entries: [{ path: 'usr/bin/su', mode: 0o4755 }, { path: 'opt/app/run', mode: 0o4755 }, { path: 'etc/passwd' }], texts: { 'etc/os-release': 'ID=debian\n' } }),
    layer({ entries: [{ path: 'usr/bin/su', mode: 0o755 }], texts: { 'etc/passwd': 'root:x:0:0::/root:/bin/sh\n' } }),
    layer({ opaque: ['opt'], whiteouts: ['etc/os-release'] }),
  ]);

  it('tells which layer removed an entry, and how', () => {
    expect(removalOf(image, 0, 'usr/bin/su')).toEqual({ layer: 1, how: 'replaced' });
    expect(removalOf(image, 0, 'opt/app/run')).toEqual({ layer: 2, how: 'hidden' });
    expect(removalOf(image, 0, 'etc/os-release')).toEqual({ layer: 2, how: 'deleted' });
    expect(removalOf(image, 1, 'usr/bin/su')).toBeUndefined();
  });

  it('places every notable entry with its layer', () => {
    const view = imageFilesystem(image);
    expect(view.setuid.map((placed) => [placed.fact.path, placed.layer, placed.removedBy?.how])).toEqual([
      ['usr/bin/su', 0, 'replaced'],
      ['opt/app/run', 0, 'hidden'],
    ]);
    expect(imageFilesystem(image)).toBe(view);
  });

  it('reads the final version of a kept file', () => {
    expect(finalText(image, 'etc/passwd')).toEqual({ text: 'root:x:0:0::/root:/bin/sh\n', layer: 1 });
    expect(finalText(image, 'etc/os-release')).toBeUndefined();
    expect(finalLayerOf(image, 'usr/bin/su')).toBe(1);
    expect(finalLayerOf(image, 'opt/app/run')).toBeUndefined();
  });

  it('hides everything under an opaque root', () => {
    const hidden = scannedImage([layer({ entries: [{ path: 'bin/su', mode: 0o4755 }] }), layer({ opaque: [''] })]);
    expect(removalOf(hidden, 0, 'bin/su')).toEqual({ layer: 1, how: 'hidden' });
  });
});
