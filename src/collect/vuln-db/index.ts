/**
 * The advisories a snapshot's scanned images need: the database given (`--vuln-db`), else the
 * copy `dockaudit db update` keeps in the cache, read with only the (release, source package)
 * pairs of those images kept.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdvisoryDatabase } from '../../snapshot/advisories.js';
import { advisoryKey } from '../../snapshot/advisories.js';
import type { ImageContents, UnscannedImage } from '../../snapshot/image-contents.js';
import type { Unavailable } from '../../snapshot/types.js';
import { imageOsReleaseFields, imagePackages, releaseOf } from '../../views/installed-packages.js';
import { defaultCacheRoot } from '../image/cache.js';
import { DEFAULT_VULN_DB_LIMITS, type VulnDbLimits } from './limits.js';
import { loadAdvisoryDatabase } from './load.js';

export { DEFAULT_VULN_DB_LIMITS, VULN_DB_LIMIT_FLAGS, type VulnDbLimits } from './limits.js';
export { loadAdvisoryDatabase } from './load.js';
export { DEFAULT_ECOSYSTEMS, OSV_SOURCE, updateVulnerabilityDatabase, type UpdateOptions, type UpdateResult } from './update.js';

/** Where `dockaudit db update` keeps the ecosystems' zips: `$XDG_CACHE_HOME/dockaudit/osv`. */
export function defaultVulnDbDirectory(env: NodeJS.ProcessEnv): string {
  return join(defaultCacheRoot(env), 'osv');
}

export interface AdvisoryOptions {
  /** Files and directories of the database; the cache's copy when not given. */
  paths?: string[];
  env: NodeJS.ProcessEnv;
  limits?: Partial<VulnDbLimits>;
  signal?: AbortSignal;
}

/** The (ecosystem, source package) pairs of the images, as index keys. */
export function wantedPairs(contents: (ImageContents | UnscannedImage)[]): Set<string> {
  const wanted = new Set<string>();
  for (const entry of contents) {
    if ('unavailable' in entry) continue;
    const fields = imageOsReleaseFields(entry);
    const release = fields ? releaseOf(fields) : undefined;
    const installed = imagePackages(entry);
    if (!release || !installed) continue;
    for (const ecosystem of release.ecosystems) for (const item of installed.packages) wanted.add(advisoryKey(ecosystem, item.source));
  }
  return wanted;
}

/**
 * The advisories for the images' packages, or Unavailable with the reason when no database was
 * given and none was downloaded. A path given that does not exist is a CollectionError.
 */
export async function advisoriesForImages(contents: (ImageContents | UnscannedImage)[], options: AdvisoryOptions): Promise<AdvisoryDatabase | Unavailable> {
  let paths = options.paths ?? [];
  if (paths.length === 0) {
    const cached = defaultVulnDbDirectory(options.env);
    const present = await stat(cached).then(
      (info) => info.isDirectory(),
      () => false,
    );
    if (!present) {
      return { unavailable: true, reason: `no vulnerability database: give --vuln-db PATH (OSV documents, or the ecosystem zips osv.dev publishes), or run dockaudit db update to download them into ${cached}` };
    }
    paths = [cached];
  }
  const wanted = wantedPairs(contents);
  const index = await loadAdvisoryDatabase(paths, {
    limits: { ...DEFAULT_VULN_DB_LIMITS, ...options.limits },
    keep: (ecosystem, name) => wanted.has(advisoryKey(ecosystem, name)),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return {
    sources: paths,
    documents: index.documents,
    unreadable: index.unreadable,
    ecosystems: Object.fromEntries(index.ecosystems),
    packages: Object.fromEntries(index.packages),
  };
}
