/**
 * Image facts (the `docker inspect` and `docker history` documents the DA40x rules read)
 * rebuilt from an archive's image config, so an image scanned from a file with no daemon
 * is judged by the same rules as one the daemon holds.
 */
import type { ImageContents } from '../../snapshot/image-contents.js';
import type { ApiDocument, ImageFacts } from '../../snapshot/types.js';

interface ConfigHistoryEntry {
  created?: unknown;
  created_by?: unknown;
  comment?: unknown;
  empty_layer?: unknown;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * The inspect document an archive's config stands for. RepoDigests is empty: an archive
 * carries no record of the registry it was pulled from.
 */
export function imageFactsFromArchive(contents: ImageContents): ImageFacts {
  const config = (contents.config ?? {}) as ApiDocument;
  const runtime = typeof config['config'] === 'object' && config['config'] !== null ? (config['config'] as ApiDocument) : {};
  const inspect: ApiDocument = {
    Id: contents.id ?? '',
    RepoTags: contents.names,
    RepoDigests: [],
    Created: text(config['created']),
    Architecture: text(config['architecture']),
    Os: text(config['os']),
    Config: runtime,
    RootFS: { Type: 'layers', Layers: contents.layers },
  };
  const history = config['history'];
  if (!Array.isArray(history)) {
    return { inspect, history: { unavailable: true, reason: "the archive's image config records no build history" } };
  }
  // The Engine API lists history newest first; the config records it oldest first.
  const entries = (history as ConfigHistoryEntry[]).map(
    (entry): ApiDocument => ({
      Id: '<missing>',
      Created: Math.floor(Date.parse(text(entry.created)) / 1000) || 0,
      CreatedBy: text(entry.created_by),
      Comment: text(entry.comment),
      Tags: null,
      Size: 0,
    }),
  );
  return { inspect, history: entries.reverse() };
}

/** The part of an image config that an inspect document carries, for images scanned from the cache alone. */
export function configFromInspect(inspect: ApiDocument): Record<string, unknown> {
  const rootfs = inspect['RootFS'] as ApiDocument | undefined;
  return {
    architecture: inspect['Architecture'],
    os: inspect['Os'],
    created: inspect['Created'],
    config: inspect['Config'] ?? {},
    rootfs: { type: 'layers', diff_ids: rootfs?.['Layers'] ?? [] },
  };
}
