/**
 * The vulnerability database as the library offers it: `updateVulnDb` downloads osv.dev's
 * ecosystem zips into dockaudit's cache (`dockaudit db update`), and `vulnDbLimitsOf` reads the
 * caps of reading a database from flags.
 */
import type { UpdateOptions, UpdateResult, VulnDbLimits } from '../collect/vuln-db/index.js';
import { UsageError } from '../errors.js';
import { parseCount, parseSize } from './limits.js';

export type { UpdateResult as VulnDbUpdateResult } from '../collect/vuln-db/index.js';

/** The caps of reading a vulnerability database as flags; unset ones keep their default. */
export interface VulnDbLimitFlags {
  maxVulnDocumentBytes?: string;
  maxVulnDocuments?: string;
  maxVulnDbBytes?: string;
}

export function vulnDbLimitsOf(flags: VulnDbLimitFlags): Partial<VulnDbLimits> {
  return {
    ...(flags.maxVulnDocumentBytes !== undefined ? { documentBytes: parseSize(flags.maxVulnDocumentBytes, '--max-vuln-document-bytes') } : {}),
    ...(flags.maxVulnDocuments !== undefined ? { documents: parseCount(flags.maxVulnDocuments, '--max-vuln-documents') } : {}),
    ...(flags.maxVulnDbBytes !== undefined ? { databaseBytes: parseSize(flags.maxVulnDbBytes, '--max-vuln-db-bytes') } : {}),
  };
}

export interface VulnDbUpdateOptions extends Partial<Omit<UpdateOptions, 'directory' | 'privateParents' | 'limits'>> {
  /** Where the zips go; default `$XDG_CACHE_HOME/dockaudit/osv`, the directory audits read when no `--vuln-db` is given. */
  directory?: string;
  env?: NodeJS.ProcessEnv;
  limits?: Partial<VulnDbLimits>;
}

/** The ecosystems osv.dev names (`Debian`, `Alpine`, `Ubuntu`, `Red Hat`): letters, digits, spaces, dots, dashes. */
function checkEcosystem(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9 .-]{0,63}$/.test(name)) throw new UsageError(`--ecosystems takes names such as Debian, Ubuntu or Alpine, got ${JSON.stringify(name)}`);
  return name;
}

/**
 * Downloads each ecosystem's zip into the cache, checked and put in place atomically; a failed
 * download keeps the previous copy. Resolves with one result per ecosystem, in order.
 */
export async function updateVulnDb(options: VulnDbUpdateOptions = {}): Promise<UpdateResult[]> {
  const database = await import('../collect/vuln-db/index.js');
  const { defaultCacheRoot } = await import('../collect/image/cache.js');
  const env = options.env ?? process.env;
  const ecosystems = (options.ecosystems ?? database.DEFAULT_ECOSYSTEMS).map(checkEcosystem);
  if (ecosystems.length === 0) throw new UsageError('--ecosystems names no ecosystem');
  const { env: _env, directory, limits, ...rest } = options;
  return database.updateVulnerabilityDatabase({
    ...rest,
    ecosystems,
    directory: directory ?? database.defaultVulnDbDirectory(env),
    ...(directory === undefined ? { privateParents: [defaultCacheRoot(env)] } : {}),
    limits: { ...database.DEFAULT_VULN_DB_LIMITS, ...limits },
  });
}
