/**
 * Image scans as the commands use them: a snapshot of images scanned from the daemon or from
 * an archive (for `dockaudit image`), and the scans added to a host snapshot (`audit --images`).
 */
import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { CollectionError, describeError } from '../../errors.js';
import type { ImageContents, UnscannedImage } from '../../snapshot/image-contents.js';
import { SNAPSHOT_SCHEMA_VERSION, isUnavailable, type ImageFacts, type Snapshot, type Unavailable } from '../../snapshot/types.js';
import { VERSION } from '../../version.js';
import { formatSeconds, type EngineClient } from '../docker-api.js';
import { createClient, resolveEndpoint, type DockerEndpoint } from '../endpoint.js';
import { ociLayoutSize, scanArchivePath } from './archive.js';
import type { LayerCache } from './cache.js';
import { scanDaemonImage, scanImagesInUse, unscannedAtLimit, type ScanProgress } from './daemon.js';
import { imageFactsFromArchive } from './facts.js';
import { DEFAULT_SCAN_LIMITS, ScanLimitError, type ScanLimits } from './limits.js';

export { LayerCache, defaultCacheDirectory, defaultCacheRoot } from './cache.js';
export { DEFAULT_SCAN_LIMITS, type ScanLimits } from './limits.js';

export interface ImageScanOptions {
  cache: LayerCache;
  progress?: ScanProgress;
  /** The caps of the scan; DEFAULT_SCAN_LIMITS when not given. */
  limits?: ScanLimits;
  /** The bounds of the requests to the daemon; each keeps its default when not given. */
  requests?: ScanRequestBounds;
}

/** How the requests of a scan to the daemon are bounded, as a host collection's are. */
export interface ScanRequestBounds {
  /** Bytes a JSON answer (an inspect or history document) may have. */
  maxResponseBytes?: number;
  /** Milliseconds one JSON call may take in all. */
  requestTimeoutMs?: number;
  /**
   * Milliseconds the scans of one daemon's images may take in all, exports included; past it,
   * requests in flight end and the images not yet scanned are recorded as unscanned.
   */
  targetTimeoutMs?: number;
}

/**
 * How long the scans of one daemon's images may take in all by default: longer than a host
 * collection's deadline, since exports of large images rightly take minutes.
 */
export const DEFAULT_SCAN_TIMEOUT_MS = 1_800_000;

/**
 * Runs `work` with a client of the daemon bounded as `bounds` say, under one deadline for all of
 * it; the deadline's timer is cleared when the work settles.
 */
async function withScanClient<T>(endpoint: DockerEndpoint, bounds: ScanRequestBounds = {}, work: (client: EngineClient) => Promise<T>): Promise<T> {
  const timeoutMs = bounds.targetTimeoutMs ?? DEFAULT_SCAN_TIMEOUT_MS;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error(`the image scans from ${endpoint.address} did not finish within ${formatSeconds(timeoutMs)}`)), timeoutMs);
  const client = createClient(endpoint, {
    signal: deadline.signal,
    ...(bounds.maxResponseBytes !== undefined ? { maxResponseBytes: bounds.maxResponseBytes } : {}),
    ...(bounds.requestTimeoutMs !== undefined ? { requestTimeout: bounds.requestTimeoutMs } : {}),
  });
  try {
    return await work(client);
  } finally {
    clearTimeout(timer);
  }
}

/** A snapshot holding only images: no daemon, containers or host facts were collected. */
function imagesOnlySnapshot(dockerHost: string, reason: string, facts: ImageFacts[], contents: (ImageContents | UnscannedImage)[]): Snapshot {
  const notCollected: Unavailable = { unavailable: true, reason };
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    tool: { name: 'dockaudit', version: VERSION },
    collectedAt: new Date().toISOString(),
    target: { dockerHost },
    daemon: notCollected,
    containers: notCollected,
    images: facts,
    networks: notCollected,
    volumes: notCollected,
    swarm: notCollected,
    host: { hostname: hostname(), daemonIsLocal: false, system: notCollected },
    imageContents: contents,
    problems: [],
  };
}

/**
 * Scans a `docker save` archive or an OCI layout with no daemon. The archive is not trusted:
 * its digests are checked as it is read. The inspect documents the DA40x rules read are
 * rebuilt from each image's config.
 */
export async function archiveSnapshot(path: string, options: ImageScanOptions): Promise<Snapshot> {
  let total = 0;
  try {
    const info = await stat(path);
    total = info.isDirectory() ? ((await ociLayoutSize(path)) ?? 0) : info.size;
  } catch (error) {
    throw new CollectionError(`cannot read ${path}: ${describeError(error)}`);
  }
  let contents: ImageContents[];
  try {
    contents = await scanArchivePath(path, options.cache, {
      verify: true,
      limits: options.limits ?? DEFAULT_SCAN_LIMITS,
      ...(options.progress ? { onProgress: (bytes: number) => options.progress?.(path, bytes, total) } : {}),
    });
  } catch (error) {
    if (!(error instanceof ScanLimitError)) throw error;
    // Which images the archive holds may not be known yet: the archive stands for them.
    return imagesOnlySnapshot(`none (archive ${path})`, 'dockaudit image --archive reads an archive only', [], [unscannedAtLimit(path, [], error)]);
  }
  if (contents.length === 0) throw new CollectionError(`${path}: the archive holds no image`);
  return imagesOnlySnapshot(`none (archive ${path})`, 'dockaudit image --archive reads an archive only', contents.map(imageFactsFromArchive), contents);
}

/** Scans images the daemon holds, one after the other, through its export stream. */
export async function daemonImagesSnapshot(references: string[], host: string | undefined, env: NodeJS.ProcessEnv, options: ImageScanOptions): Promise<Snapshot> {
  const endpoint = resolveEndpoint(host, env);
  return withScanClient(endpoint, options.requests, async (client) => {
    try {
      await client.ping();
    } catch (error) {
      throw new CollectionError(`cannot reach the Docker daemon at ${endpoint.address}: ${describeError(error)}`);
    }
    const facts: ImageFacts[] = [];
    const contents: (ImageContents | UnscannedImage)[] = [];
    for (const reference of references) {
      const scanned = await scanDaemonImage(client, reference, options.cache, options.progress, options.limits ?? DEFAULT_SCAN_LIMITS);
      facts.push(scanned.facts);
      contents.push(scanned.contents);
    }
    return imagesOnlySnapshot(endpoint.address, 'dockaudit image audits images only', facts, contents);
  });
}

/**
 * Adds the layer scans of every image a container uses to a host snapshot. Without a
 * reachable daemon nothing is added, and the image-content rules say why they were skipped.
 */
export async function addImageScans(snapshot: Snapshot, host: string | undefined, env: NodeJS.ProcessEnv, options: ImageScanOptions): Promise<void> {
  if (isUnavailable(snapshot.daemon) || isUnavailable(snapshot.containers)) return;
  const scanned = await withScanClient(resolveEndpoint(host, env), options.requests, (client) =>
    scanImagesInUse(client, snapshot, options.cache, options.progress, options.limits ?? DEFAULT_SCAN_LIMITS),
  );
  snapshot.imageContents = scanned.contents;
  snapshot.problems.push(...scanned.problems);
}
