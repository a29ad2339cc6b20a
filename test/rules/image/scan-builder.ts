/**
 * Builders for image layer scans in rule tests: a layer is described by its entries, and the
 * facts the scanner would record (setuid, world-writable, paths) are derived from them the
 * way the scanner derives them.
 */
import type { ImageContents, LayerEntryFact, LayerScan, SecretFact, UnscannedImage, UnsafeEntryFact } from '../../../src/snapshot/image-contents.js';
import { shadowFactsOf } from '../../../src/views/image-fs.js';
import { snap, type SnapshotBuilder } from '../../helpers/builder.js';

export interface EntrySpec {
  path: string;
  type?: LayerEntryFact['type'];
  mode?: number;
  uid?: number;
  size?: number;
}

export interface LayerSpec {
  key?: string;
  entries?: EntrySpec[];
  whiteouts?: string[];
  opaque?: string[];
  secrets?: SecretFact[];
  unsafe?: UnsafeEntryFact[];
  /**
   * Kept file texts; their paths are added as regular files. `etc/shadow` becomes the facts the
   * scanner records (its text is never kept), unless `legacyShadowText` keeps it as older scans did.
   */
  texts?: Record<string, string>;
  legacyShadowText?: boolean;
  leftovers?: LayerScan['leftovers'];
}

let counter = 0;

export function layer(spec: LayerSpec = {}): LayerScan {
  counter += 1;
  const key = spec.key ?? `sha256:${counter.toString(16).padStart(4, '0')}${'ab'.repeat(30)}`;
  const entries: LayerEntryFact[] = [
    ...(spec.entries ?? []).map((entry) => ({
      path: entry.path,
      type: entry.type ?? 'file',
      mode: entry.mode ?? (entry.type === 'directory' ? 0o755 : 0o644),
      uid: entry.uid ?? 0,
      gid: 0,
      size: entry.size ?? 100,
    })),
    ...Object.entries(spec.texts ?? {}).map(([path, text]) => ({ path, type: 'file' as const, mode: 0o644, uid: 0, gid: 0, size: text.length })),
  ];
  const secretPaths = (spec.secrets ?? []).map((secret) => secret.path);
  const leftoverPaths = (spec.leftovers ?? []).map((leftover) => `${leftover.path}/file`);
  return {
    key,
    entries: entries.length,
    bytes: entries.reduce((total, entry) => total + entry.size, 0),
    paths: [...new Set([...entries.map((entry) => entry.path), ...secretPaths, ...leftoverPaths])],
    whiteouts: spec.whiteouts ?? [],
    opaqueDirectories: spec.opaque ?? [],
    setuid: entries.filter((entry) => entry.type === 'file' && (entry.mode & 0o6000) !== 0),
    worldWritable: entries.filter(
      (entry) => entry.type !== 'symlink' && (entry.mode & 0o002) !== 0 && !(entry.type === 'directory' && (entry.mode & 0o1000) !== 0),
    ),
    secrets: spec.secrets ?? [],
    unsafe: spec.unsafe ?? [],
    ...textsAndShadow(spec),
    leftovers: spec.leftovers ?? [],
  };
}

function textsAndShadow(spec: LayerSpec): Pick<LayerScan, 'texts' | 'shadow'> {
  const texts = { ...(spec.texts ?? {}) };
  const shadow = texts['etc/shadow'];
  if (shadow === undefined || spec.legacyShadowText) return { texts };
  delete texts['etc/shadow'];
  return { texts, shadow: shadowFactsOf(shadow) };
}

export interface ImageSpec {
  names?: string[];
  source?: string;
  id?: string;
  /** `config.User` of the image config. */
  user?: string;
  config?: Record<string, unknown>;
}

export function scannedImage(layers: LayerScan[], spec: ImageSpec = {}): ImageContents {
  return {
    source: spec.source ?? spec.names?.[0] ?? 'image.tar',
    ...(spec.id ? { id: spec.id } : {}),
    names: spec.names ?? [],
    layers: layers.map((scan) => scan.key),
    scans: Object.fromEntries(layers.map((scan) => [scan.key, scan])),
    config: spec.config ?? { config: { User: spec.user ?? '' }, created: '2025-12-01T00:00:00Z' },
    cachedLayers: [],
  };
}

/** A snapshot carrying the given scans (and the usual defaults elsewhere). */
export function snapWithScans(...images: (ImageContents | UnscannedImage)[]): SnapshotBuilder {
  return snap().with((snapshot) => {
    snapshot.imageContents = images;
  });
}
