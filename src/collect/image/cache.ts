/**
 * Layer scan cache: in memory for one run, and on disk across runs, keyed by layer digest.
 *
 * Only scans whose key was checked against the content (or that came from the daemon, which
 * addresses layers by content) are stored: a crafted archive must not be able to plant a
 * clean-looking scan under the digest of a real layer.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { LayerScan } from '../../snapshot/image-contents.js';

/** Bumped when the scanner finds more, so older cached scans are not reused. */
const CACHE_VERSION = 2;

export function defaultCacheDirectory(env: NodeJS.ProcessEnv): string {
  return join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'dockaudit', 'layers');
}

export class LayerCache {
  private readonly memory = new Map<string, LayerScan>();
  /** Other names of a layer (a legacy archive's directory id) -> its digest key. */
  private readonly aliases = new Map<string, string>();

  /** `directory` undefined keeps the cache in memory only. */
  constructor(private readonly directory?: string) {}

  private file(key: string, kind: 'scan' | 'alias'): string {
    return join(this.directory as string, `v${CACHE_VERSION}-${kind === 'alias' ? 'alias-' : ''}${key.replace(/[^\w.-]/g, '_')}.json`);
  }

  private async resolve(key: string): Promise<string> {
    const known = this.aliases.get(key);
    if (known || !this.directory) return known ?? key;
    try {
      const target = JSON.parse(await readFile(this.file(key, 'alias'), 'utf8')) as unknown;
      if (typeof target !== 'string') return key;
      this.aliases.set(key, target);
      return target;
    } catch {
      return key;
    }
  }

  /** The scan stored under a digest key, or under an alias of one. */
  async get(key: string): Promise<LayerScan | undefined> {
    const target = await this.resolve(key);
    const known = this.memory.get(target);
    if (known || !this.directory) return known;
    try {
      const scan = JSON.parse(await readFile(this.file(target, 'scan'), 'utf8')) as LayerScan;
      if (scan.key !== target) return undefined;
      this.memory.set(target, scan);
      return scan;
    } catch {
      return undefined;
    }
  }

  async set(scan: LayerScan): Promise<void> {
    this.memory.set(scan.key, scan);
    if (this.directory) await this.write(this.file(scan.key, 'scan'), JSON.stringify(scan));
  }

  /** Records that `alias` names the layer stored under `key`. */
  async alias(alias: string, key: string): Promise<void> {
    if (alias === key) return;
    this.aliases.set(alias, key);
    if (this.directory) await this.write(this.file(alias, 'alias'), JSON.stringify(key));
  }

  private async write(target: string, text: string): Promise<void> {
    try {
      await mkdir(this.directory as string, { recursive: true });
      const temporary = `${target}.${process.pid}.tmp`;
      await writeFile(temporary, text);
      await rename(temporary, target);
    } catch {
      // A cache that cannot be written only costs time on the next run.
    }
  }
}
