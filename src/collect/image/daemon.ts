/**
 * Scans images a Docker daemon holds, through its image export stream (`docker save`),
 * one image at a time. An image whose every layer is already in the cache is not exported
 * at all: its inspect document names its layers by digest.
 */
import { PassThrough, type Readable } from 'node:stream';
import type { EngineClient as Docker } from '../docker-api.js';
import { CollectionError, describeError } from '../../errors.js';
import type { ImageContents, LayerScan, UnscannedImage } from '../../snapshot/image-contents.js';
import { isUnavailable, type ApiDocument, type CollectionProblem, type ImageFacts, type Snapshot, type Unavailable } from '../../snapshot/types.js';
import { num, obj, str, strings } from '../../snapshot/api-document.js';
import { scanArchiveStream } from './archive.js';
import type { LayerCache } from './cache.js';
import { configFromInspect } from './facts.js';
import { DEFAULT_SCAN_LIMITS, ScanLimitError, limitError, type ScanLimits } from './limits.js';

/** How far the daemon's export may run ahead of the scanner. */
const READ_AHEAD_BYTES = 8 << 20;

export interface DaemonImageScan {
  /** Unscanned when the scan reached one of its caps (`limit` says which). */
  contents: ImageContents | UnscannedImage;
  facts: ImageFacts;
}

/** Progress of one image's export: bytes read, and the size the daemon gives for the image. */
export type ScanProgress = (label: string, bytesRead: number, totalBytes: number) => void;

function statusCode(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown }).statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The inspect and history documents of an image; a missing image is a CollectionError. */
export async function inspectImage(client: Docker, reference: string): Promise<ImageFacts> {
  const handle = client.getImage(reference);
  let inspect: ApiDocument;
  try {
    inspect = (await handle.inspect()) as unknown as ApiDocument;
  } catch (error) {
    if (statusCode(error) === 404) throw new CollectionError(`no such image: ${reference}`);
    throw new CollectionError(`cannot inspect image ${reference}: ${describeError(error)}`);
  }
  const history = await (handle.history() as Promise<ApiDocument[]>).catch(
    (error: unknown): Unavailable => ({ unavailable: true, reason: `could not read history: ${describeError(error)}` }),
  );
  return { inspect, history };
}

function namesOf(inspect: ApiDocument): string[] {
  return strings(inspect, 'RepoTags').filter((tag) => tag !== '<none>:<none>');
}

async function fromCache(reference: string, inspect: ApiDocument, cache: LayerCache, limits: ScanLimits): Promise<ImageContents | undefined> {
  const layers = strings(obj(inspect, 'RootFS'), 'Layers');
  if (layers.length === 0) return undefined;
  if (layers.length > limits.layers) throw limitError('layers', limits.layers, `the image's ${layers.length} layers`);
  const scans: Record<string, LayerScan> = {};
  for (const key of layers) {
    const scan = await cache.get(key);
    if (!scan) return undefined;
    scans[key] = scan;
  }
  return {
    source: reference,
    id: str(inspect, 'Id'),
    names: namesOf(inspect),
    layers,
    scans,
    config: configFromInspect(inspect),
    cachedLayers: [...new Set(layers)],
  };
}

/**
 * Scans the daemon's export stream of an image (`GET /images/{name}/get`, what `docker save`
 * reads). `total` is the size the progress bar counts towards.
 */
export async function scanExport(
  client: Docker,
  name: string,
  reference: string,
  cache: LayerCache,
  progress?: ScanProgress,
  total = 0,
  limits: ScanLimits = DEFAULT_SCAN_LIMITS,
): Promise<ImageContents[]> {
  let stream: Readable;
  try {
    stream = (await client.getImage(name).get()) as unknown as Readable;
  } catch (error) {
    throw new CollectionError(`cannot export image ${reference}: ${describeError(error)}`);
  }
  // A deep buffer lets the daemon write ahead while a layer is being parsed, instead of
  // stalling on every full socket buffer; bounded, so memory does not grow with the image.
  const buffered = stream.pipe(new PassThrough({ highWaterMark: READ_AHEAD_BYTES }));
  stream.on('error', (error) => buffered.destroy(error));
  return scanArchiveStream(buffered, reference, cache, {
    limits,
    ...(progress ? { onProgress: (bytes: number) => progress(reference, bytes, total) } : {}),
  });
}

/**
 * Scans one image of the daemon: from the cache when every layer is there, else from its export.
 * A scan that reaches a cap stops and is recorded as unscanned, with the cap, for DA460 to report.
 */
export async function scanDaemonImage(
  client: Docker,
  reference: string,
  cache: LayerCache,
  progress?: ScanProgress,
  limits: ScanLimits = DEFAULT_SCAN_LIMITS,
): Promise<DaemonImageScan> {
  const facts = await inspectImage(client, reference);
  const id = str(facts.inspect, 'Id');
  try {
    const cached = await fromCache(reference, facts.inspect, cache, limits);
    if (cached) return { contents: cached, facts };
    const images = await scanExport(client, id || reference, reference, cache, progress, num(facts.inspect, 'Size'), limits);
    const contents = images.find((image) => image.id === id) ?? images[0];
    if (!contents) throw new CollectionError(`${reference}: the daemon's export holds no image`);
    return { contents: { ...contents, source: reference, names: namesOf(facts.inspect) }, facts };
  } catch (error) {
    if (!(error instanceof ScanLimitError)) throw error;
    return { contents: unscannedAtLimit(id || reference, namesOf(facts.inspect), error), facts };
  }
}

/** The record of an image whose scan stopped at a cap. */
export function unscannedAtLimit(source: string, names: string[], error: ScanLimitError): UnscannedImage {
  return { source, names, unavailable: true, reason: error.message, limit: error.fact };
}

/**
 * Scans every image a container of the snapshot uses, once each. An image that cannot be
 * scanned is recorded with the reason, and the audit goes on.
 */
export async function scanImagesInUse(
  client: Docker,
  snapshot: Snapshot,
  cache: LayerCache,
  progress?: ScanProgress,
  limits: ScanLimits = DEFAULT_SCAN_LIMITS,
): Promise<{ contents: (ImageContents | UnscannedImage)[]; problems: CollectionProblem[] }> {
  const containers = isUnavailable(snapshot.containers) ? [] : snapshot.containers;
  const ids = [...new Set(containers.map((container) => str(container.inspect, 'Image')).filter((id) => id !== ''))];
  const contents: (ImageContents | UnscannedImage)[] = [];
  const problems: CollectionProblem[] = [];
  for (const id of ids) {
    try {
      const scanned = (await scanDaemonImage(client, id, cache, progress, limits)).contents;
      contents.push(scanned);
      if ('unavailable' in scanned) problems.push({ scope: 'image', subject: scanned.names[0] ?? id, reason: scanned.reason });
    } catch (error) {
      const reason = `could not scan the image's layers: ${describeError(error)}`;
      const names = containers
        .filter((container) => str(container.inspect, 'Image') === id)
        .map((container) => str(obj(container.inspect, 'Config'), 'Image'))
        .filter((name, index, all) => name !== '' && all.indexOf(name) === index);
      contents.push({ source: id, names, unavailable: true, reason });
      // Not scanned, so not judged: the audit is incomplete.
      problems.push({ scope: 'image', subject: names[0] ?? id, reason, unaudited: true });
    }
  }
  return { contents, problems };
}
