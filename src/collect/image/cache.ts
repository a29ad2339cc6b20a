/**
 * Layer scan cache: in memory for one run, and on disk across runs, keyed by layer digest.
 *
 * Only scans whose key was checked against the content (or that came from the daemon, which
 * addresses layers by content) are stored: a crafted archive must not be able to plant a
 * clean-looking scan under the digest of a real layer.
 *
 * On disk: one file per layer (`v4-<digest>.json`) and one index of other names of layers
 * (`v4-aliases.json`), all 0600 in a 0700 directory. A scan holds facts, never secret values:
 * /etc/shadow is kept as the state of each password, not its hash. Files of older versions
 * (which kept /etc/shadow's text, or did not keep var/lib/dpkg/status.d/) are deleted the first
 * time the cache is written, and never read.
 */
import { readdir, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { LayerScan } from '../../snapshot/image-contents.js';
import { ensurePrivateDirectory, readPrivateFile, writePrivateFile } from '../private-file.js';

/** Bumped when the scanner finds more, or stores differently, so older cached scans are not reused. */
const CACHE_VERSION = 4;
const ALIASES_FILE = `v${CACHE_VERSION}-aliases.json`;

/** dockaudit's directory in the user's cache: `$XDG_CACHE_HOME/dockaudit`. */
export function defaultCacheRoot(env: NodeJS.ProcessEnv): string {
  return join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'dockaudit');
}

export function defaultCacheDirectory(env: NodeJS.ProcessEnv): string {
  return join(defaultCacheRoot(env), 'layers');
}

export interface LayerCacheOptions {
  /** Ancestors of the directory dockaudit owns and keeps private too (the default's `dockaudit` directory). */
  privateParents?: string[];
}

export class LayerCache {
  private readonly memory = new Map<string, LayerScan>();
  /** Other names of a layer (a legacy archive's directory id) -> its digest key; loaded once. */
  private aliases: Map<string, string> | undefined;
  private prepared: Promise<boolean> | undefined;

  /** `directory` undefined keeps the cache in memory only. */
  constructor(
    private readonly directory?: string,
    private readonly options: LayerCacheOptions = {},
  ) {}

  private file(key: string): string {
    return join(this.directory as string, `v${CACHE_VERSION}-${key.replace(/[^\w.-]/g, '_')}.json`);
  }

  private async aliasIndex(): Promise<Map<string, string>> {
    if (this.aliases) return this.aliases;
    const aliases = new Map<string, string>();
    this.aliases = aliases;
    if (!this.directory) return aliases;
    try {
      const stored = JSON.parse(await readPrivateFile(join(this.directory, ALIASES_FILE))) as unknown;
      if (Array.isArray(stored)) {
        for (const pair of stored) if (Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string') aliases.set(pair[0], pair[1]);
      }
    } catch {
      // No index yet, or an unreadable one: only costs time.
    }
    return aliases;
  }

  /** The scan stored under a digest key, or under an alias of one. */
  async get(key: string): Promise<LayerScan | undefined> {
    const target = (await this.aliasIndex()).get(key) ?? key;
    const known = this.memory.get(target);
    if (known || !this.directory) return known;
    try {
      const scan = JSON.parse(await readPrivateFile(this.file(target))) as LayerScan;
      if (scan.key !== target) return undefined;
      this.memory.set(target, scan);
      return scan;
    } catch {
      return undefined;
    }
  }

  async set(scan: LayerScan): Promise<void> {
    this.memory.set(scan.key, scan);
    if (this.directory && (await this.prepare())) await this.write(this.file(scan.key), JSON.stringify(scan));
  }

  /** Records that `alias` names the layer stored under `key`. */
  async alias(alias: string, key: string): Promise<void> {
    await this.addAliases([[alias, key]]);
  }

  /** Records several aliases, writing the index once. */
  async addAliases(pairs: [alias: string, key: string][]): Promise<void> {
    const aliases = await this.aliasIndex();
    let changed = false;
    for (const [alias, key] of pairs) {
      if (alias === key || aliases.get(alias) === key) continue;
      aliases.set(alias, key);
      changed = true;
    }
    if (changed && this.directory && (await this.prepare())) await this.write(join(this.directory, ALIASES_FILE), JSON.stringify([...aliases]));
  }

  /**
   * Makes the directory private (0700, existing ones too) and deletes what older versions left:
   * their scans may hold /etc/shadow's text. False when the directory cannot be made private:
   * nothing is written then.
   */
  private prepare(): Promise<boolean> {
    this.prepared ??= (async () => {
      const directory = this.directory as string;
      try {
        await ensurePrivateDirectory(directory, this.options.privateParents ?? []);
      } catch {
        return false;
      }
      try {
        const current = `v${CACHE_VERSION}-`;
        for (const name of await readdir(directory)) {
          if ((/^v\d+-/.test(name) && !name.startsWith(current)) || (name.startsWith(current) && name.endsWith('.tmp'))) await unlink(join(directory, name)).catch(() => undefined);
        }
      } catch {
        // What cannot be listed cannot be cleaned; the new files are private either way.
      }
      return true;
    })();
    return this.prepared;
  }

  private async write(target: string, text: string): Promise<void> {
    try {
      await writePrivateFile(target, text);
    } catch {
      // A cache that cannot be written only costs time on the next run.
    }
  }
}
