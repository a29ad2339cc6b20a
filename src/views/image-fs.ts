/**
 * The final filesystem of an image, computed from its layer scans: for each notable entry a
 * layer recorded (setuid files, world-writable paths, secrets, caches, unsafe entries), which
 * layer holds it and whether it is still there once the later layers have deleted it
 * (whiteouts), hidden it (opaque directories) or written the same path again.
 *
 * Pure: a function of ImageContents alone. Deleted entries are kept with the layer that
 * removed them, because a deleted file is still in its layer and anyone who has the image
 * can read it.
 *
 * Known simplification: a later layer that puts a file where an ancestor directory was
 * (replacing `/opt/app/` by a file `/opt/app`) hides that directory's content in the real
 * filesystem; the scans do not record entry types of later layers, so this view keeps it.
 */
import { emptyLayerScan, type ImageContents, type LayerEntryFact, type LayerScan, type SecretFact, type ShadowFact, type UnsafeEntryFact } from '../snapshot/image-contents.js';

/** How a later layer took an entry out of the final filesystem. */
export interface Removal {
  /** Index of the layer that removed it (0 is the base layer). */
  layer: number;
  how: 'deleted' | 'hidden' | 'replaced';
}

/** A fact recorded by one layer. */
export interface Placed<T> {
  fact: T;
  /** Index of the layer that holds it, 0 the base. */
  layer: number;
  /** Set when a later layer removed it from the final filesystem; it is still in its own layer. */
  removedBy?: Removal;
}

export type LeftoverFact = LayerScan['leftovers'][number];

export interface ImageFilesystem {
  /** Scans in layer order, base first. */
  layers: LayerScan[];
  setuid: Placed<LayerEntryFact>[];
  worldWritable: Placed<LayerEntryFact>[];
  secrets: Placed<SecretFact>[];
  /** Unsafe archive entries are reported wherever they are: they matter when the layer is unpacked. */
  unsafe: Placed<UnsafeEntryFact>[];
  /** A cache directory counts as removed only when every file of it in its layer was removed. */
  leftovers: Placed<LeftoverFact>[];
}

interface LayerIndex {
  paths: Set<string>;
  whiteouts: Set<string>;
  opaque: Set<string>;
}

const indexes = new WeakMap<ImageContents, LayerIndex[]>();

function indexOf(contents: ImageContents): LayerIndex[] {
  let known = indexes.get(contents);
  if (!known) {
    known = layersOf(contents).map((scan) => ({
      paths: new Set(scan.paths),
      whiteouts: new Set(scan.whiteouts),
      opaque: new Set(scan.opaqueDirectories),
    }));
    indexes.set(contents, known);
  }
  return known;
}

/** The scans of an image in layer order; a layer missing from `scans` counts as empty. */
export function layersOf(contents: ImageContents): LayerScan[] {
  return contents.layers.map((key) => contents.scans[key] ?? emptyLayerScan(key));
}

/** `a/b/c` -> ['a', 'a/b']; the root directory is '' (an opaque root hides everything). */
function ancestors(path: string): string[] {
  const parts = path.split('/');
  const result = [''];
  for (let end = 1; end < parts.length; end += 1) result.push(parts.slice(0, end).join('/'));
  return result;
}

/** Whether layer `index` deletes or hides `path` of the layers below it. */
function removesFromBelow(layer: LayerIndex, path: string, parents: string[]): Removal['how'] | undefined {
  if (layer.whiteouts.has(path) || parents.some((parent) => parent !== '' && layer.whiteouts.has(parent))) return 'deleted';
  if (parents.some((parent) => layer.opaque.has(parent))) return 'hidden';
  return undefined;
}

/** How (and by which layer) `path` of layer `layer` is taken out of the final filesystem, if it is. */
export function removalOf(contents: ImageContents, layer: number, path: string): Removal | undefined {
  const index = indexOf(contents);
  const parents = ancestors(path);
  for (let later = layer + 1; later < index.length; later += 1) {
    const current = index[later] as LayerIndex;
    if (current.paths.has(path)) return { layer: later, how: 'replaced' };
    const how = removesFromBelow(current, path, parents);
    if (how) return { layer: later, how };
  }
  return undefined;
}

/** The layer whose entry for `path` is the one in the final filesystem, or undefined when there is none. */
export function finalLayerOf(contents: ImageContents, path: string): number | undefined {
  const index = indexOf(contents);
  const parents = ancestors(path);
  for (let layer = index.length - 1; layer >= 0; layer -= 1) {
    const current = index[layer] as LayerIndex;
    if (current.paths.has(path)) return layer;
    if (removesFromBelow(current, path, parents)) return undefined;
  }
  return undefined;
}

/**
 * The text of a kept file (etc/passwd, os-release, package databases) as the final filesystem
 * has it; undefined when the file is absent, or when its final version was not kept (a symbolic
 * link, or too large).
 */
export function finalText(contents: ImageContents, path: string): { text: string; layer: number } | undefined {
  const layer = finalLayerOf(contents, path);
  if (layer === undefined) return undefined;
  const text = layersOf(contents)[layer]?.texts[path];
  return text === undefined ? undefined : { text, layer };
}

/**
 * The state of each password in the final filesystem's /etc/shadow, by account name; undefined
 * when the file is absent or was not read. Scans made before the hashes stopped being kept
 * carry the file's text instead, and are read the same way.
 */
export function finalShadow(contents: ImageContents): Map<string, ShadowFact['password']> | undefined {
  const layer = finalLayerOf(contents, 'etc/shadow');
  if (layer === undefined) return undefined;
  const scan = layersOf(contents)[layer];
  const legacyText = scan?.texts['etc/shadow'];
  const facts = scan?.shadow ?? (legacyText === undefined ? undefined : shadowFactsOf(legacyText));
  return facts === undefined ? undefined : new Map(facts.map((fact) => [fact.name, fact.password]));
}

/** The state of each password in an /etc/shadow text. */
export function shadowFactsOf(text: string): ShadowFact[] {
  const facts: ShadowFact[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields.length < 2 || line.startsWith('#')) continue;
    const password = fields[1] ?? '';
    facts.push({ name: fields[0] ?? '', password: password === '' ? 'empty' : password.startsWith('!') || password.startsWith('*') ? 'locked' : 'set' });
  }
  return facts;
}

function place<T extends { path: string }>(contents: ImageContents, pick: (scan: LayerScan) => T[]): Placed<T>[] {
  return layersOf(contents).flatMap((scan, layer) =>
    pick(scan).map((fact) => {
      const removedBy = removalOf(contents, layer, fact.path);
      return { fact, layer, ...(removedBy ? { removedBy } : {}) };
    }),
  );
}

/** What became of the paths under one leftover directory of a layer, gathered path by path. */
interface LeftoverState {
  /** Some path under it is still in the final filesystem. */
  kept: boolean;
  /** The latest of the removals of the paths under it. */
  lastRemoval?: Removal;
}

/**
 * The states of the leftover directories `path` lies under that still count as removed. Only
 * the prefixes as long as some leftover path are looked up, so a deep path costs one pass.
 */
function openLeftoversAbove(path: string, states: Map<string, LeftoverState>, lengths: Set<number>): LeftoverState[] {
  const open: LeftoverState[] = [];
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
    if (!lengths.has(slash)) continue;
    const state = states.get(path.slice(0, slash));
    if (state && !state.kept) open.push(state);
  }
  return open;
}

/**
 * A leftover directory is removed when a later layer removes it, or when every path under it in
 * its layer is removed (by the latest of those removals). One pass over each layer's paths:
 * each path is matched against the leftover directories above it, and its removal is looked
 * up once, only while one of them may still count as removed.
 */
function placeLeftovers(contents: ImageContents): Placed<LeftoverFact>[] {
  return layersOf(contents).flatMap((scan, layer) => {
    if (scan.leftovers.length === 0) return [];
    const states = new Map<string, LeftoverState>(scan.leftovers.map((fact) => [fact.path, { kept: false }]));
    const lengths = new Set(scan.leftovers.map((fact) => fact.path.length));
    for (const path of scan.paths) {
      const open = openLeftoversAbove(path, states, lengths);
      if (open.length === 0) continue;
      const removal = removalOf(contents, layer, path);
      for (const state of open) {
        if (!removal || removal.how === 'replaced') state.kept = true;
        else if (!state.lastRemoval || removal.layer > state.lastRemoval.layer) state.lastRemoval = removal;
      }
    }
    return scan.leftovers.map((fact) => {
      const own = removalOf(contents, layer, fact.path);
      if (own && own.how !== 'replaced') return { fact, layer, removedBy: own };
      const state = states.get(fact.path);
      return state && !state.kept && state.lastRemoval ? { fact, layer, removedBy: state.lastRemoval } : { fact, layer };
    });
  });
}

const views = new WeakMap<ImageContents, ImageFilesystem>();

/** The notable entries of every layer, each with its layer and what became of it. */
export function imageFilesystem(contents: ImageContents): ImageFilesystem {
  const known = views.get(contents);
  if (known) return known;
  const view: ImageFilesystem = {
    layers: layersOf(contents),
    setuid: place(contents, (scan) => scan.setuid),
    worldWritable: place(contents, (scan) => scan.worldWritable),
    secrets: place(contents, (scan) => scan.secrets),
    unsafe: layersOf(contents).flatMap((scan, layer) => scan.unsafe.map((fact) => ({ fact, layer }))),
    leftovers: placeLeftovers(contents),
  };
  views.set(contents, view);
  return view;
}
