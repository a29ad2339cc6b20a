/**
 * Scans image archives as streams: `docker save` tarballs (legacy and OCI-based, plain or
 * gzip/zstd-compressed), OCI image layouts as a directory or a tar, and the daemon's image
 * export stream. Layers are scanned once each, whatever order the archive holds them in;
 * their order is resolved from the manifest at the end. Layers already scanned (in this run
 * or an earlier one) are drained without parsing.
 *
 * An archive from elsewhere is not trusted: with `verify`, every layer and document is
 * hashed as it streams by and checked against the digest the archive names it by, and only
 * checked scans are cached. Nothing is cached until the whole archive has been read.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar-stream';
import { CollectionError, DockauditError, describeError } from '../../errors.js';
import type { ImageContents, LayerScan } from '../../snapshot/image-contents.js';
import type { LayerCache } from './cache.js';
import { scanSniffedLayer, sniff, tarStreamOf } from './layer-scan.js';
import { ByteBudget, DEFAULT_SCAN_LIMITS, limitError, type ScanLimits } from './limits.js';

/** JSON documents (manifests, configs) larger than this are not read. */
const MAX_JSON_BYTES = 8 << 20;
/** All the JSON documents of one archive together: a stream of small ones must not fill memory. */
const MAX_JSON_TOTAL_BYTES = 64 << 20;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

export interface ArchiveScanOptions {
  /**
   * Hash everything read and check it against the digests the archive names, and cache only
   * what was checked. For archives from elsewhere; the daemon's own export is trusted.
   */
  verify?: boolean;
  /** Called as the archive is read, with the number of bytes read so far. */
  onProgress?: (bytesRead: number) => void;
  /** The caps of the scan (DEFAULT_SCAN_LIMITS when not given). */
  limits?: ScanLimits;
}

interface OciDescriptor {
  digest: string;
  mediaType?: string;
  size?: number;
  annotations?: Record<string, string>;
}

interface OciManifest {
  layers?: OciDescriptor[];
  config?: OciDescriptor;
  manifests?: OciDescriptor[];
}

interface DockerManifestEntry {
  Config?: string;
  RepoTags?: string[] | null;
  Layers?: string[];
}

/** The cache key of a layer entry in an archive, or undefined when the entry is not a layer. */
export function layerKeyOf(name: string): string | undefined {
  const legacy = /^(?:\.\/)?([0-9a-f]{64})\/layer\.tar$/.exec(name);
  if (legacy) return `legacy:${legacy[1]}`;
  const blob = /^(?:\.\/)?blobs\/sha256\/([0-9a-f]{64})$/.exec(name);
  if (blob) return `sha256:${blob[1]}`;
  return undefined;
}

/** The key of a layer known only by its path in the archive (`l1/layer.tar`): never cached under it. */
const PATH_KEY = 'path:';

/**
 * The archive key of a layer a manifest names: its legacy or blob key, else its path, which must
 * stay inside the archive (no `..`, not absolute), as `docker load` accepts any such path.
 */
export function manifestLayerKey(name: string, source: string): string {
  const normalised = name.replace(/^(\.\/)+/, '');
  const known = layerKeyOf(normalised);
  if (known) return known;
  const parts = normalised.split('/');
  if (normalised === '' || normalised.startsWith('/') || parts.includes('..') || normalised.includes('\\')) {
    throw new CollectionError(`${source}: the manifest names a layer outside the archive: ${JSON.stringify(name)}`);
  }
  return `${PATH_KEY}${posix.normalize(normalised)}`;
}

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

async function* hashing(source: AsyncIterable<Buffer>, hash: Hash): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    hash.update(chunk);
    yield chunk;
  }
}

async function readAll(stream: AsyncIterable<Buffer>, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    length += chunk.length;
    if (length <= limit) chunks.push(chunk);
  }
  return length <= limit ? Buffer.concat(chunks) : undefined;
}

/** Reads a stream to its end, hashing it when asked. */
async function drain(stream: Readable, hash: Hash | undefined): Promise<void> {
  if (hash) {
    for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk);
    return;
  }
  await new Promise<void>((resolve, reject) => {
    stream.on('end', () => resolve());
    stream.on('error', reject);
    stream.resume();
  });
}

function parseJson(buffer: Buffer | undefined): unknown {
  if (!buffer) return undefined;
  try {
    return JSON.parse(buffer.toString('utf8'));
  } catch {
    return undefined;
  }
}

interface ArchiveParts {
  /** Scans by archive key (`legacy:<directory id>` or `sha256:<blob digest>`). */
  scans: Map<string, LayerScan>;
  /** Archive keys whose scan came from the cache. */
  cached: Set<string>;
  /** Digest of what was read under each archive key (verify mode). */
  digests: Map<string, string>;
  /** Legacy layers whose layer.tar is a symbolic link to another layer's (same content). */
  links: Map<string, string>;
  /** JSON documents by archive name. */
  documents: Map<string, unknown>;
  /** Layers known by their path that were compressed: their digest cannot be a diff id. */
  compressed: Set<string>;
}

function newParts(): ArchiveParts {
  return { scans: new Map(), cached: new Set(), digests: new Map(), links: new Map(), documents: new Map(), compressed: new Set() };
}

interface Resolved {
  images: ImageContents[];
  /** Scans to store once the whole archive is known to be good, with their other names. */
  cacheable: Map<string, { scan: LayerScan; aliases: Set<string> }>;
}

function followLinks(parts: ArchiveParts, key: string): string {
  let current = key;
  for (let hops = 0; hops < 16; hops += 1) {
    const next = parts.links.get(current);
    if (next === undefined) break;
    current = next;
  }
  return current;
}

function diffIdsOf(config: unknown): string[] | undefined {
  const rootfs = (config as { rootfs?: { diff_ids?: unknown } } | undefined)?.rootfs;
  const ids = rootfs?.diff_ids;
  return Array.isArray(ids) && ids.every((id) => typeof id === 'string' && DIGEST.test(id)) ? (ids as string[]) : undefined;
}

/** Turns what was read into images: layer order from the manifests, keys settled, digests checked. */
function resolveImages(parts: ArchiveParts, source: string, verify: boolean, limits: ScanLimits): Resolved {
  const cacheable: Resolved['cacheable'] = new Map();
  const contentsOf = (archiveKeys: string[], names: string[], configName: string | undefined, id: string | undefined): ImageContents => {
    if (archiveKeys.length > limits.layers) throw limitError('layers', limits.layers, `the image's ${archiveKeys.length} layers`);
    let imageBytes = 0;
    const config = configName === undefined ? undefined : parts.documents.get(configName);
    const diffIds = diffIdsOf(config);
    const matchingDiffIds = diffIds !== undefined && diffIds.length === archiveKeys.length ? diffIds : undefined;
    const layers: string[] = [];
    const scans: Record<string, LayerScan> = {};
    const cached: string[] = [];
    archiveKeys.forEach((named, index) => {
      const archiveKey = followLinks(parts, named);
      const scan = parts.scans.get(archiveKey);
      if (!scan) throw new CollectionError(`${source}: the archive lacks layer ${named.replace(PATH_KEY, '')}`);
      imageBytes += scan.bytes;
      if (imageBytes > limits.imageBytes) throw limitError('imageBytes', limits.imageBytes, 'the decompressed image', scan.key);
      // A blob is addressed by its own digest; a legacy layer directory, or a layer known by its
      // path, by its config's diff id.
      const diffId = matchingDiffIds?.[index];
      const byPath = archiveKey.startsWith(PATH_KEY);
      const key = archiveKey.startsWith('sha256:') ? archiveKey : (diffId ?? archiveKey);
      let trusted = !verify && !key.startsWith(PATH_KEY);
      if (verify) {
        const digest = parts.digests.get(archiveKey);
        if (archiveKey.startsWith('sha256:')) trusted = digest === archiveKey;
        else if (diffId !== undefined && byPath && parts.compressed.has(archiveKey)) trusted = false;
        else if (diffId !== undefined) {
          if (digest !== diffId) throw new CollectionError(`${source}: layer ${named.replace(PATH_KEY, '')} does not match the digest ${diffId} its image config names`);
          trusted = true;
        }
      }
      const settled = scan.key === key ? scan : { ...scan, key };
      layers.push(key);
      scans[key] = settled;
      const fromCache = parts.cached.has(archiveKey);
      if (fromCache) cached.push(key);
      // A scan read from the cache is there already: writing it again is what made re-runs slow.
      if (trusted && !fromCache) {
        const entry = cacheable.get(key) ?? { scan: settled, aliases: new Set<string>() };
        if (archiveKey !== key && !byPath) entry.aliases.add(archiveKey);
        cacheable.set(key, entry);
      }
    });
    return {
      source,
      ...(id ? { id } : {}),
      names,
      layers,
      scans,
      ...(config && typeof config === 'object' ? { config: config as Record<string, unknown> } : {}),
      cachedLayers: [...new Set(cached)],
    };
  };

  const manifest = parts.documents.get('manifest.json');
  if (Array.isArray(manifest)) {
    const images = (manifest as DockerManifestEntry[]).map((entry) => {
      const configName = (entry.Config ?? '').replace(/^\.\//, '');
      const hex = /(?:^|\/)([0-9a-f]{64})(?:\.json)?$/.exec(configName)?.[1];
      const archiveKeys = (Array.isArray(entry.Layers) ? entry.Layers : []).map((name) => manifestLayerKey(String(name), source));
      return contentsOf(archiveKeys, (entry.RepoTags ?? []).filter((tag) => typeof tag === 'string'), configName, hex ? `sha256:${hex}` : undefined);
    });
    return { images, cacheable };
  }
  const index = parts.documents.get('index.json') as OciManifest | undefined;
  if (index && Array.isArray(index.manifests)) {
    const images: ImageContents[] = [];
    const visit = (descriptor: OciDescriptor, names: string[], depth: number): void => {
      if (!DIGEST.test(descriptor.digest) || depth > 4) throw new CollectionError(`${source}: invalid manifest reference ${String(descriptor.digest)}`);
      const document = parts.documents.get(blobName(descriptor.digest)) as OciManifest | undefined;
      if (!document) throw new CollectionError(`${source}: the archive lacks manifest ${descriptor.digest}`);
      if (Array.isArray(document.manifests)) {
        for (const child of document.manifests) visit(child, names, depth + 1);
        return;
      }
      const configDigest = document.config?.digest;
      const configName = configDigest && DIGEST.test(configDigest) ? blobName(configDigest) : undefined;
      const layerKeys = (Array.isArray(document.layers) ? document.layers : []).map((layer) => layer.digest);
      images.push(contentsOf(layerKeys, names, configName, configName ? configDigest : undefined));
    };
    for (const descriptor of index.manifests) {
      const name = descriptor.annotations?.['io.containerd.image.name'] ?? descriptor.annotations?.['org.opencontainers.image.ref.name'];
      visit(descriptor, name ? [name] : [], 0);
    }
    return { images, cacheable };
  }
  throw new CollectionError(`${source}: not an image archive (no manifest.json nor index.json)`);
}

function blobName(digest: string): string {
  return `blobs/${digest.replace(':', '/')}`;
}

/** Names of archive entries worth reading as JSON: top-level documents and blobs. */
function isDocumentName(name: string): boolean {
  return (!name.includes('/') && name.endsWith('.json')) || layerKeyOf(name)?.startsWith('sha256:') === true;
}

async function storeInCache(resolved: Resolved, cache: LayerCache): Promise<void> {
  const aliases: [string, string][] = [];
  for (const { scan, aliases: names } of resolved.cacheable.values()) {
    await cache.set(scan);
    for (const alias of names) aliases.push([alias, scan.key]);
  }
  await cache.addAliases(aliases);
}

/** The digest a document must have, from its name, when the name tells one. */
function expectedDigest(name: string): string | undefined {
  const key = layerKeyOf(name);
  if (key?.startsWith('sha256:')) return key;
  const config = /^([0-9a-f]{64})\.json$/.exec(name);
  return config ? `sha256:${config[1]}` : undefined;
}

/** Scans a `docker save` or OCI tar stream (plain, gzip or zstd). */
export async function scanArchiveStream(input: Readable, source: string, cache: LayerCache, options: ArchiveScanOptions = {}): Promise<ImageContents[]> {
  const verify = options.verify === true;
  const limits = options.limits ?? DEFAULT_SCAN_LIMITS;
  const budget = new ByteBudget(limits);
  let layersRead = 0;
  let entriesRead = 0;
  let documentBytes = 0;
  const parts = newParts();
  const tar = extract();
  // Errors reach the caller through the pipeline; one the extractor raises after the pipeline
  // settled (input cut short while an entry was being read) must not crash the process.
  tar.on('error', () => undefined);
  let bytesRead = 0;
  const seen = new Set<string>();
  tar.on('entry', (header, entry, next) => {
    // Same for an entry the extractor aborts when its input ends early.
    entry.on('error', () => undefined);
    // The archive's own entries are bounded like a layer's: the names of its files are remembered.
    entriesRead += 1;
    if (entriesRead > limits.layerEntries) {
      tar.destroy(limitError('layerEntries', limits.layerEntries, "the archive's entries"));
      return;
    }
    // Progress counts what the entries hold (plus their headers), reported as each one starts.
    bytesRead += 512 + Math.ceil((header.size ?? 0) / 512) * 512;
    options.onProgress?.(bytesRead);
    const name = posix.normalize(header.name).replace(/^(\.\/)+/, '').replace(/\/$/, '');
    const key = layerKeyOf(name);
    const entryStream = entry as unknown as Readable;
    const handle = async (): Promise<void> => {
      if (header.type === 'symlink' && key?.startsWith('legacy:') && header.linkname) {
        const target = layerKeyOf(posix.normalize(posix.join(posix.dirname(name), header.linkname)));
        if (target) parts.links.set(key, target);
        await drain(entryStream, undefined);
        return;
      }
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        await drain(entryStream, undefined);
        return;
      }
      // Any other file may be a layer a manifest names by its path (`l1/layer.tar`): the
      // manifest may come last, so a file that reads as a tar is scanned under its path.
      const byPath = key === undefined && !isDocumentName(name);
      // A second entry of the same name would be what an unpacker keeps, not what was scanned.
      if (seen.has(name)) throw new CollectionError(`${source}: the archive holds ${name} twice`);
      seen.add(name);
      const hash = verify ? createHash('sha256') : undefined;
      const checkDigest = (what: string): void => {
        if (!hash) return;
        const digest = `sha256:${hash.digest('hex')}`;
        const expected = expectedDigest(name);
        if (expected !== undefined && digest !== expected) throw new CollectionError(`${source}: ${what} ${name} does not match its digest`);
        parts.digests.set(key ?? (byPath ? `${PATH_KEY}${name}` : name), digest);
      };
      const countLayer = (layer: string): void => {
        layersRead += 1;
        if (layersRead > limits.layers) throw limitError('layers', limits.layers, `the archive's layers (${layersRead} read)`, layer);
      };
      const known = key ? (parts.scans.get(key) ?? (await cache.get(key))) : undefined;
      if (key && known) {
        countLayer(key);
        parts.scans.set(key, known);
        parts.cached.add(key);
        await drain(entryStream, hash);
        checkDigest('layer');
        return;
      }
      const stream = hash ? Readable.from(hashing(entryStream as AsyncIterable<Buffer>, hash)) : entryStream;
      // A legacy `<id>/layer.tar` is always a plain tar; a blob, or a file named otherwise, may be anything.
      const sniffed = key?.startsWith('legacy:') ? ({ kind: 'tar', stream } as const) : key || byPath ? await sniff(stream) : undefined;
      if (byPath && sniffed?.kind === 'unknown') {
        await drain(sniffed.stream, undefined);
        return;
      }
      if ((key === undefined && !byPath) || sniffed?.kind === 'unknown') {
        const content = await readAll((sniffed?.stream ?? stream) as AsyncIterable<Buffer>, MAX_JSON_BYTES);
        documentBytes += content?.length ?? 0;
        if (documentBytes > MAX_JSON_TOTAL_BYTES) throw new CollectionError(`${source}: the archive's JSON documents exceed ${MAX_JSON_TOTAL_BYTES >> 20} MiB together`);
        const document = parseJson(content);
        checkDigest('document');
        if (document !== undefined) parts.documents.set(name, document);
        return;
      }
      const layerKey = key ?? `${PATH_KEY}${name}`;
      countLayer(layerKey);
      if (byPath && sniffed?.kind !== 'tar') parts.compressed.add(layerKey);
      const scan = await scanSniffedLayer(sniffed as NonNullable<typeof sniffed>, layerKey, { limits, budget });
      checkDigest('layer');
      parts.scans.set(layerKey, scan);
    };
    handle().then(() => next(), next);
  });
  try {
    const sniffed = await sniff(input);
    if (sniffed.kind === 'unknown') throw new CollectionError(`${source}: not a tar archive (nor gzip or zstd)`);
    await pipeline(tarStreamOf(sniffed), tar);
  } catch (error) {
    if (error instanceof DockauditError) throw error;
    throw new CollectionError(`${source}: corrupt or truncated image archive: ${describeError(error)}`);
  }
  const resolved = resolveImages(parts, source, verify, limits);
  await storeInCache(resolved, cache);
  return resolved.images;
}

/** Reads a file, hashing it; checks the digest its blob name gives. */
async function streamBlob(directory: string, digest: string, verify: boolean, use: (stream: Readable) => Promise<void>): Promise<void> {
  const hash = verify ? createHash('sha256') : undefined;
  const file = createReadStream(join(directory, blobName(digest)));
  await use(hash ? Readable.from(hashing(file as AsyncIterable<Buffer>, hash)) : file);
  if (hash && `sha256:${hash.digest('hex')}` !== digest) throw new CollectionError(`${directory}: blob ${digest} does not match its digest`);
}

/** Scans an OCI image layout directory, reading only the blobs its manifests name. */
export async function scanOciDirectory(directory: string, cache: LayerCache, options: ArchiveScanOptions = {}): Promise<ImageContents[]> {
  const verify = options.verify === true;
  const limits = options.limits ?? DEFAULT_SCAN_LIMITS;
  const budget = new ByteBudget(limits);
  const parts = newParts();
  let bytesRead = 0;
  const readDocument = async (name: string, digest?: string): Promise<unknown> => {
    const path = join(directory, name);
    const info = await stat(path);
    if (info.size > MAX_JSON_BYTES) throw new CollectionError(`${path} is larger than ${MAX_JSON_BYTES} bytes`);
    const content = await readFile(path);
    if (verify && digest !== undefined && sha256(content) !== digest) throw new CollectionError(`${directory}: blob ${digest} does not match its digest`);
    const document = parseJson(content);
    if (document === undefined) throw new CollectionError(`${path} is not valid JSON`);
    parts.documents.set(name, document);
    return document;
  };
  try {
    const index = (await readDocument('index.json')) as OciManifest;
    const pending = [...(index.manifests ?? [])];
    while (pending.length > 0) {
      const descriptor = pending.shift() as OciDescriptor;
      if (!DIGEST.test(descriptor.digest)) throw new CollectionError(`${directory}: invalid blob digest ${String(descriptor.digest)}`);
      const document = (await readDocument(blobName(descriptor.digest), descriptor.digest)) as OciManifest;
      pending.push(...(document.manifests ?? []));
      if (document.config && DIGEST.test(document.config.digest)) await readDocument(blobName(document.config.digest), document.config.digest);
      for (const layer of document.layers ?? []) {
        if (!DIGEST.test(layer.digest)) throw new CollectionError(`${directory}: invalid blob digest ${String(layer.digest)}`);
        if (parts.scans.has(layer.digest)) continue;
        if (parts.scans.size >= limits.layers) throw limitError('layers', limits.layers, `the layout's layers (${parts.scans.size + 1} named)`, layer.digest);
        const known = await cache.get(layer.digest);
        if (known) {
          // Even a cached layer is read when verifying: the scan is only good for the same content.
          if (verify) await streamBlob(directory, layer.digest, true, (stream) => drain(stream, undefined));
          parts.scans.set(layer.digest, known);
          parts.cached.add(layer.digest);
        } else {
          await streamBlob(directory, layer.digest, verify, async (stream) => {
            parts.scans.set(layer.digest, await scanSniffedLayer(await sniff(stream), layer.digest, { limits, budget }));
          });
          parts.digests.set(layer.digest, layer.digest);
        }
        bytesRead += layer.size ?? 0;
        options.onProgress?.(bytesRead);
      }
    }
  } catch (error) {
    if (error instanceof DockauditError) throw error;
    throw new CollectionError(`${directory}: cannot read OCI layout: ${describeError(error)}`);
  }
  const resolved = resolveImages(parts, directory, verify, limits);
  await storeInCache(resolved, cache);
  return resolved.images;
}

/** Total bytes an OCI layout's layers hold, for progress; undefined when it cannot be told cheaply. */
export async function ociLayoutSize(directory: string): Promise<number | undefined> {
  try {
    const index = JSON.parse(await readFile(join(directory, 'index.json'), 'utf8')) as OciManifest;
    let total = 0;
    for (const descriptor of index.manifests ?? []) {
      if (!DIGEST.test(descriptor.digest)) return undefined;
      const manifest = JSON.parse(await readFile(join(directory, blobName(descriptor.digest)), 'utf8')) as OciManifest;
      for (const layer of manifest.layers ?? []) total += layer.size ?? 0;
    }
    return total;
  } catch {
    return undefined;
  }
}

/** Scans an archive file or an OCI layout directory. */
export async function scanArchivePath(path: string, cache: LayerCache, options: ArchiveScanOptions = {}): Promise<ImageContents[]> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new CollectionError(`cannot read ${path}: ${describeError(error)}`);
  }
  if (info.isDirectory()) return scanOciDirectory(path, cache, options);
  return scanArchiveStream(createReadStream(path), path, cache, options);
}
