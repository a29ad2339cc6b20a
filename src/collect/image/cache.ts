/**
 * Layer scan cache: in memory for one run, and on disk across runs, keyed by layer digest.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { LayerScan } from '../../snapshot/image-contents.js';

/** Bumped when the scanner finds more, so older cached scans are not reused. */
const CACHE_VERSION = 1;

export function defaultCacheDirectory(env: NodeJS.ProcessEnv): string {
  return join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'dockaudit', 'layers');
}

export class LayerCache {
  private readonly memory = new Map<string, LayerScan>();

  /** `directory` undefined keeps the cache in memory only. */
  constructor(private readonly directory?: string) {}

  private file(key: string): string {
    return join(this.directory as string, `v${CACHE_VERSION}-${key.replace(/[^\w.-]/g, '_')}.json`);
  }

  async get(key: string): Promise<LayerScan | undefined> {
    const known = this.memory.get(key);
    if (known || !this.directory) return known;
    try {
      const scan = JSON.parse(await readFile(this.file(key), 'utf8')) as LayerScan;
      if (scan.key !== key) return undefined;
      this.memory.set(key, scan);
      return scan;
    } catch {
      return undefined;
    }
  }

  async set(scan: LayerScan): Promise<void> {
    this.memory.set(scan.key, scan);
    if (!this.directory) return;
    try {
      await mkdir(this.directory, { recursive: true });
      const target = this.file(scan.key);
      const temporary = `${target}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(scan));
      await rename(temporary, target);
    } catch {
      // A cache that cannot be written only costs time on the next run.
    }
  }
}
