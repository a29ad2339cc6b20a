/**
 * Package caches and build leftovers the scanner records, by kind, and how messages list them.
 */
import type { ImageContents } from '../../../snapshot/image-contents.js';
import type { LeftoverFact, Placed } from '../../../views/image-fs.js';
import { bytesLabel, capped, imagePath, layerLabel, removalLabel } from './each-scan.js';

export const PACKAGE_CACHE_LABELS: Readonly<Record<string, string>> = {
  'apt-lists': 'apt package lists',
  'apt-archives': 'downloaded .deb packages',
  'apt-cache': 'apt package cache',
  'apk-cache': 'apk package cache',
  'yum-dnf-cache': 'yum/dnf/zypper cache',
  'pip-cache': 'pip cache',
  'npm-cache': 'npm cache',
  'yarn-cache': 'yarn cache',
  'composer-cache': 'Composer cache',
  'gem-cache': 'RubyGems cache',
};

export const BUILD_LEFTOVER_LABELS: Readonly<Record<string, string>> = {
  'git-directory': 'Git repository',
  'svn-directory': 'Subversion working copy',
  'hg-directory': 'Mercurial repository',
  'go-build-cache': 'Go build cache',
};

/** `/var/lib/apt/lists (apt package lists, 50.4 MB, layer 1/1 (...))`, with what a later layer did to it. */
export function describeLeftovers(contents: ImageContents, found: Placed<LeftoverFact>[], labels: Readonly<Record<string, string>>): string {
  return capped(
    found.map((placed) => {
      const where = layerLabel(contents, placed.layer);
      const fate = placed.removedBy ? `, ${removalLabel(contents, placed.removedBy)} but still shipped in its layer` : '';
      return `${imagePath(placed.fact.path)} (${labels[placed.fact.kind] ?? placed.fact.kind}, ${bytesLabel(placed.fact.bytes)}, ${where}${fate})`;
    }),
  );
}

export function totalBytes(found: Placed<LeftoverFact>[]): number {
  return found.reduce((total, placed) => total + placed.fact.bytes, 0);
}
