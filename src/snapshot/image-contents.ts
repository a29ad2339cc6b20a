/**
 * What a scan of an image's layers found. Paths are image paths without a leading slash
 * (`usr/bin/passwd`), as they appear in layer archives.
 */

export interface LayerEntryFact {
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'link' | 'other';
  /** Permission bits including setuid, setgid and sticky. */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  linkname?: string;
}

export interface SecretFact {
  path: string;
  /** What it is: `private-key`, `aws-credentials`, `npmrc-token`, `docker-config-auth`, `dotenv`, … */
  kind: string;
  /** 1-based line of the match inside the file, when content-based. */
  line?: number;
}

export interface UnsafeEntryFact {
  path: string;
  reason: string;
}

/** One layer, scanned once and cacheable by its key. */
export interface LayerScan {
  /** Content digest (`sha256:…`) or, for legacy `docker save` archives, the layer directory id. */
  key: string;
  entries: number;
  bytes: number;
  /** Every path this layer adds or replaces (to tell what later layers override). */
  paths: string[];
  /** Paths this layer deletes (whiteouts), and directories it makes opaque. */
  whiteouts: string[];
  opaqueDirectories: string[];
  setuid: LayerEntryFact[];
  worldWritable: LayerEntryFact[];
  secrets: SecretFact[];
  unsafe: UnsafeEntryFact[];
  /** Small text files kept for analysis: etc/passwd, etc/group, os-release, package databases. */
  texts: Record<string, string>;
  /**
   * What /etc/shadow says of each account's password, when this layer writes the file: the
   * hashes themselves are never kept (older scans kept the file in `texts`).
   */
  shadow?: ShadowFact[];
  /** Package caches and build leftovers, with their size in this layer. */
  leftovers: { path: string; kind: string; bytes: number }[];
}

/** An account's password as /etc/shadow records it: a hash, nothing (anyone logs in), or locked (`!`, `*`). */
export interface ShadowFact {
  name: string;
  password: 'set' | 'empty' | 'locked';
}

/** A cap of the scan that an image reached: its scan stopped there. */
export interface ScanLimitFact {
  /** Which cap: the scan option's name (`layerEntries`…), or `keptFile` for a kept text over its fixed size. */
  cap: 'layerEntries' | 'layerBytes' | 'imageBytes' | 'layers' | 'keptFile';
  limit: number;
  /** The layer being read when the cap was reached, when one was. */
  layer?: string;
  message: string;
}

/** An image whose layers could not be scanned, and why. */
export interface UnscannedImage {
  source: string;
  names: string[];
  unavailable: true;
  reason: string;
  /** Set when the scan stopped at one of its caps. */
  limit?: ScanLimitFact;
}

export interface ImageContents {
  /** Image reference or id, or archive path, the scan was made from. */
  source: string;
  /** Image id (`sha256:` digest of its config), when the archive or the daemon tells it. */
  id?: string;
  /** Names the image is known by (repo tags), when known. */
  names: string[];
  /**
   * Layer keys in order, base first: the layer's uncompressed digest (diff id) when known,
   * else the digest of its blob, else (legacy archives without a config) its directory id.
   */
  layers: string[];
  /** Scans by layer key. */
  scans: Record<string, LayerScan>;
  /** Image config (the `docker inspect`-like JSON from the archive), when present. */
  config?: Record<string, unknown>;
  /** Whether a layer scan came from the cache. */
  cachedLayers: string[];
}

/** A layer with nothing in it: the start of a scan, or a layer a snapshot lacks. */
export function emptyLayerScan(key: string): LayerScan {
  return {
    key,
    entries: 0,
    bytes: 0,
    paths: [],
    whiteouts: [],
    opaqueDirectories: [],
    setuid: [],
    worldWritable: [],
    secrets: [],
    unsafe: [],
    texts: {},
    leftovers: [],
  };
}
