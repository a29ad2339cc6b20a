/**
 * Scans image archives as streams: `docker save` tarballs (legacy and OCI-based), OCI image
 * layouts as a directory or a tar, and the daemon's image export stream. Layers are scanned
 * once each, whatever order the archive holds them in; their order is resolved from the
 * manifest at the end.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar-stream';
import { CollectionError, describeError } from '../../errors.js';
import type { ImageContents, LayerScan } from '../../snapshot/image-contents.js';
import type { LayerCache } from './cache.js';
import { scanLayer, sniff } from './layer-scan.js';

/** JSON documents (manifests, configs) larger than this are not read. */
const MAX_JSON_BYTES = 8 << 20;

interface OciDescriptor {
  digest: string;
  mediaType?: string;
  annotations?: Record<string, string>;
}

interface DockerManifestEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/** The cache key of a layer entry in an archive, or undefined when the entry is not a layer. */
export function layerKeyOf(name: string): string | undefined {
  const legacy = /^(?:\.\/)?([0-9a-f]{64})\/layer\.tar$/.exec(name);
  if (legacy) return `legacy:${legacy[1]}`;
  const blob = /^(?:\.\/)?blobs\/sha256\/([0-9a-f]{64})$/.exec(name);
  if (blob) return `sha256:${blob[1]}`;
  return undefined;
}

async function readAll(stream: Readable, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length <= limit) chunks.push(chunk);
  }
  return length <= limit ? Buffer.concat(chunks) : undefined;
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
  scans: Map<string, LayerScan>;
  cached: Set<string>;
  /** JSON documents by normalised archive name. */
  documents: Map<string, unknown>;
}

function resolveImages(parts: ArchiveParts, source: string): ImageContents[] {
  const fromKey = (name: string): string => layerKeyOf(name.replace(/^\.\//, '')) ?? name;
  const contentsOf = (layers: string[], names: string[], config: unknown): ImageContents => {
    const missing = layers.filter((key) => !parts.scans.has(key));
    if (missing.length > 0) throw new CollectionError(`${source}: the archive lacks layer ${missing[0]}`);
    return {
      source,
      names,
      layers,
      scans: Object.fromEntries(layers.map((key) => [key, parts.scans.get(key) as LayerScan])),
      ...(config && typeof config === 'object' ? { config: config as Record<string, unknown> } : {}),
      cachedLayers: layers.filter((key) => parts.cached.has(key)),
    };
  };
  const manifest = parts.documents.get('manifest.json');
  if (Array.isArray(manifest)) {
    return (manifest as DockerManifestEntry[]).map((entry) =>
      contentsOf(
        (entry.Layers ?? []).map(fromKey),
        entry.RepoTags ?? [],
        parts.documents.get((entry.Config ?? '').replace(/^\.\//, '')),
      ),
    );
  }
  const index = parts.documents.get('index.json') as { manifests?: OciDescriptor[] } | undefined;
  if (index && Array.isArray(index.manifests)) {
    const images: ImageContents[] = [];
    const visit = (descriptor: OciDescriptor, names: string[]): void => {
      const document = parts.documents.get(`blobs/${descriptor.digest.replace(':', '/')}`) as
        | { layers?: OciDescriptor[]; config?: OciDescriptor; manifests?: OciDescriptor[] }
        | undefined;
      if (!document) throw new CollectionError(`${source}: the archive lacks manifest ${descriptor.digest}`);
      if (Array.isArray(document.manifests)) {
        for (const child of document.manifests) visit(child, names);
        return;
      }
      const config = document.config ? parts.documents.get(`blobs/${document.config.digest.replace(':', '/')}`) : undefined;
      images.push(contentsOf((document.layers ?? []).map((layer) => layer.digest), names, config));
    };
    for (const descriptor of index.manifests) {
      const name = descriptor.annotations?.['io.containerd.image.name'] ?? descriptor.annotations?.['org.opencontainers.image.ref.name'];
      visit(descriptor, name ? [name] : []);
    }
    return images;
  }
  throw new CollectionError(`${source}: not an image archive (no manifest.json nor index.json)`);
}

/** Scans a `docker save` or OCI tar stream. */
export async function scanArchiveStream(input: Readable, source: string, cache: LayerCache): Promise<ImageContents[]> {
  const parts: ArchiveParts = { scans: new Map(), cached: new Set(), documents: new Map() };
  const tar = extract();
  tar.on('entry', (header, entry, next) => {
    const name = header.name.replace(/^\.\//, '');
    const key = layerKeyOf(name);
    const handle = async (): Promise<void> => {
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        entry.resume();
        return;
      }
      if (key) {
        const known = parts.scans.get(key) ?? (await cache.get(key));
        if (known) {
          parts.scans.set(key, known);
          parts.cached.add(key);
          entry.resume();
          await new Promise<void>((resolve) => entry.on('end', () => resolve()));
          return;
        }
        const sniffed = await sniff(entry as unknown as Readable);
        if (sniffed.kind === 'unknown') {
          const document = parseJson(await readAll(sniffed.stream, MAX_JSON_BYTES));
          if (document !== undefined) parts.documents.set(name, document);
          return;
        }
        const scan = await scanLayer(sniffed.stream, key);
        parts.scans.set(key, scan);
        await cache.set(scan);
        return;
      }
      if (name.endsWith('.json') || name === 'repositories') {
        const document = parseJson(await readAll(entry as unknown as Readable, MAX_JSON_BYTES));
        if (document !== undefined) parts.documents.set(name, document);
        return;
      }
      entry.resume();
      await new Promise<void>((resolve) => entry.on('end', () => resolve()));
    };
    handle().then(() => next(), next);
  });
  try {
    await pipeline(input, tar);
  } catch (error) {
    throw new CollectionError(`${source}: corrupt or truncated image archive: ${describeError(error)}`);
  }
  return resolveImages(parts, source);
}

/** Scans an OCI image layout directory, reading only the blobs its manifests name. */
export async function scanOciDirectory(directory: string, cache: LayerCache): Promise<ImageContents[]> {
  const parts: ArchiveParts = { scans: new Map(), cached: new Set(), documents: new Map() };
  const readDocument = async (name: string): Promise<unknown> => {
    const path = join(directory, name);
    const info = await stat(path);
    if (info.size > MAX_JSON_BYTES) throw new CollectionError(`${path} is larger than ${MAX_JSON_BYTES} bytes`);
    const document = parseJson(await readFile(path));
    if (document === undefined) throw new CollectionError(`${path} is not valid JSON`);
    parts.documents.set(name, document);
    return document;
  };
  const blobName = (digest: string): string => `blobs/${digest.replace(':', '/')}`;
  try {
    const index = (await readDocument('index.json')) as { manifests?: OciDescriptor[] };
    const pending = [...(index.manifests ?? [])];
    while (pending.length > 0) {
      const descriptor = pending.shift() as OciDescriptor;
      const document = (await readDocument(blobName(descriptor.digest))) as { layers?: OciDescriptor[]; config?: OciDescriptor; manifests?: OciDescriptor[] };
      pending.push(...(document.manifests ?? []));
      if (document.config) await readDocument(blobName(document.config.digest));
      for (const layer of document.layers ?? []) {
        if (parts.scans.has(layer.digest)) continue;
        const known = await cache.get(layer.digest);
        if (known) {
          parts.scans.set(layer.digest, known);
          parts.cached.add(layer.digest);
          continue;
        }
        const scan = await scanLayer(createReadStream(join(directory, blobName(layer.digest))), layer.digest);
        parts.scans.set(layer.digest, scan);
        await cache.set(scan);
      }
    }
  } catch (error) {
    if (error instanceof CollectionError) throw error;
    throw new CollectionError(`${directory}: cannot read OCI layout: ${describeError(error)}`);
  }
  return resolveImages(parts, directory);
}

/** Scans an archive file or an OCI layout directory. */
export async function scanArchivePath(path: string, cache: LayerCache): Promise<ImageContents[]> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new CollectionError(`cannot read ${path}: ${describeError(error)}`);
  }
  if (info.isDirectory()) return scanOciDirectory(path, cache);
  return scanArchiveStream(createReadStream(path), path, cache);
}
