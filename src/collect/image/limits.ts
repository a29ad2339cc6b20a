/**
 * The caps of an image scan. A crafted image can hold millions of entries, decompress to far
 * more than it weighs, or name thousands of layers; each of these is bounded, and a scan that
 * reaches a cap stops with a ScanLimitError naming the image, the layer and the cap, which the
 * report carries as an `error` finding (DA460): never a crash, never a silent pass.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { CollectionError } from '../../errors.js';
import type { ScanLimitFact } from '../../snapshot/image-contents.js';

export interface ScanLimits {
  /** Entries (files, directories, links) in one layer. */
  layerEntries: number;
  /** Decompressed bytes of one layer. */
  layerBytes: number;
  /** Decompressed bytes of one image: of the layers one daemon export or one archive holds. */
  imageBytes: number;
  /** Layers of one image, and layers one archive or export holds. */
  layers: number;
  /** Largest regular file whose content is searched for secrets; larger ones are listed by path only. */
  fileBytes: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = {
  layerEntries: 1_000_000,
  layerBytes: 8 * 1024 ** 3,
  imageBytes: 32 * 1024 ** 3,
  layers: 256,
  fileBytes: 512 * 1024,
};

/** The flag that sets each cap, for messages. */
export const LIMIT_FLAGS: Record<keyof ScanLimits, string> = {
  layerEntries: '--max-layer-entries',
  layerBytes: '--max-layer-bytes',
  imageBytes: '--max-image-bytes',
  layers: '--max-layers',
  fileBytes: '--max-layer-file-bytes',
};

/** A scan reached one of its caps: the scan of that image stops. */
export class ScanLimitError extends CollectionError {
  constructor(readonly fact: ScanLimitFact) {
    super(fact.message);
  }
}

const UNITS: [number, string][] = [
  [1024 ** 3, 'GiB'],
  [1024 ** 2, 'MiB'],
  [1024, 'KiB'],
];

/** 8 GiB, 512 KiB, 300 B: caps are powers of two, so binary units read exactly. */
export function sizeLabel(bytes: number): string {
  for (const [unit, name] of UNITS) if (bytes >= unit) return `${Number((bytes / unit).toFixed(1))} ${name}`;
  return `${bytes} B`;
}

/** The error for a cap that was passed; `layer` names the layer being read, when one was. */
export function limitError(cap: ScanLimitFact['cap'], limit: number, what: string, layer?: string): ScanLimitError {
  const shown = cap === 'layerEntries' || cap === 'layers' ? `${limit}` : sizeLabel(limit);
  const flag = cap === 'keptFile' ? undefined : LIMIT_FLAGS[cap];
  const message = `${what}${layer ? ` in layer ${layer}` : ''} exceeds the cap of ${shown}${flag ? ` (${flag})` : ''}; the image was not scanned`;
  return new ScanLimitError({ cap, limit, ...(layer ? { layer } : {}), message });
}

/** Decompressed bytes shared by the layers of one image (or archive), counted as they are read. */
export class ByteBudget {
  private used = 0;
  constructor(private readonly limits: ScanLimits) {}

  /** Counts `bytes` more; throws when the image's cap is passed. */
  spend(bytes: number, layer: string): void {
    this.used += bytes;
    if (this.used > this.limits.imageBytes) throw limitError('imageBytes', this.limits.imageBytes, 'the decompressed image', layer);
  }
}

/**
 * Counts the decompressed bytes of one layer as they flow to the tar reader, and stops the
 * stream at the layer's cap or the image's: a gzip bomb is cut off after the cap, not read to its end.
 */
export function byteCounter(limits: ScanLimits, budget: ByteBudget, layer: string): Transform {
  let layerBytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      layerBytes += chunk.length;
      try {
        if (layerBytes > limits.layerBytes) throw limitError('layerBytes', limits.layerBytes, 'the decompressed layer', layer);
        budget.spend(chunk.length, layer);
      } catch (error) {
        callback(error as Error);
        return;
      }
      callback(null, chunk);
    },
  });
}
