/**
 * Merging Compose documents and services the way `docker compose` does for `-f a.yml -f b.yml`,
 * for override files and for `extends`: mappings merge key by key, short forms are first
 * normalised to their long form, most sequences are appended without duplicates, a few are
 * replaced (`command`, `entrypoint`, `healthcheck.test`), volumes are unique by target and
 * secrets and configs by source; `!reset` removes a value and `!override` replaces it whole.
 *
 * Every node keeps the position it was written at, so a merged service still points each
 * key at the file and line that set it.
 */
import { modernLegacyKeys } from './legacy.js';
import { toPlain, type ComposeEntry, type ComposeMap, type ComposeNode, type ComposeScalar, type ComposeSeq } from './tree.js';

function scalar(value: ComposeScalar['value'], from: ComposeNode): ComposeScalar {
  return { kind: 'scalar', value, pos: from.pos, size: 1 };
}

function mapOf(entries: ComposeEntry[], from: ComposeNode): ComposeMap {
  return { kind: 'map', entries: new Map(entries.map((entry) => [entry.key, entry])), pos: from.pos, size: 1 + entries.reduce((total, entry) => total + entry.value.size, 0) };
}

function seqOf(items: ComposeNode[], from: ComposeNode): ComposeSeq {
  return { kind: 'seq', items, pos: from.pos, size: 1 + items.reduce((total, item) => total + item.size, 0) };
}

/**
 * A `list_or_dict` value (`environment`, `labels`, `build.args`, …) as a mapping:
 * `["A=1", "B"]` and `{A: 1, B: null}` both become `{A: "1", B: null}`.
 */
export function listOrDict(node: ComposeNode | undefined, separator = '='): ComposeMap | undefined {
  if (node === undefined) return undefined;
  if (node.kind === 'map') return node;
  if (node.kind !== 'seq') return undefined;
  const entries: ComposeEntry[] = [];
  for (const item of node.items) {
    if (item.kind !== 'scalar' || item.value === null) continue;
    const text = String(item.value);
    const at = text.indexOf(separator);
    const key = at === -1 ? text : text.slice(0, at);
    const value = at === -1 ? null : text.slice(at + separator.length);
    const written = item.written?.slice(item.written.indexOf(separator) + separator.length);
    entries.push({ key, keyPos: item.pos, value: { ...scalar(value, item), ...(item.interpolated ? { interpolated: true } : {}), ...(written !== undefined ? { written } : {}) } });
  }
  return mapOf(entries, node);
}

/** A `string_or_list` value as a sequence. */
function stringOrList(node: ComposeNode): ComposeNode {
  return node.kind === 'scalar' ? seqOf([node], node) : node;
}

/** Keys of a service whose value is a `list_or_dict`. */
const LIST_OR_DICT = new Set(['environment', 'labels', 'annotations', 'sysctls']);
const STRING_OR_LIST = new Set(['env_file', 'dns', 'dns_search', 'tmpfs', 'label_file']);
const REPLACED = new Set(['command', 'entrypoint']);

/**
 * A service's short forms in their long form, so that two services merge field by field;
 * the service itself when it has none.
 */
export function normaliseService(written: ComposeMap): ComposeMap {
  const service = modernLegacyKeys(written);
  const entries: ComposeEntry[] = [];
  let changed = false;
  for (const entry of service.entries.values()) {
    let value = entry.value;
    if (LIST_OR_DICT.has(entry.key)) value = listOrDict(value) ?? value;
    else if (entry.key === 'extra_hosts') value = listOrDict(value, value.kind === 'seq' && value.items.some((item) => item.kind === 'scalar' && String(item.value).includes('=')) ? '=' : ':') ?? value;
    else if (STRING_OR_LIST.has(entry.key)) value = stringOrList(value);
    else if (entry.key === 'build' && value.kind === 'scalar') value = mapOf([{ key: 'context', keyPos: value.pos, value }], value);
    else if (entry.key === 'build' && value.kind === 'map') value = normaliseBuild(value);
    else if ((entry.key === 'networks' || entry.key === 'depends_on') && value.kind === 'seq') value = namesToMap(value, entry.key);
    if (value === entry.value) {
      entries.push(entry);
      continue;
    }
    const tag = entry.value.tag;
    entries.push({ ...entry, value: tag ? { ...value, tag } : value });
    changed = true;
  }
  if (!changed) return service;
  return { ...mapOf(entries, service), ...(service.tag ? { tag: service.tag } : {}) };
}

/** `build` with `args` and `labels` as mappings; the same node when they already are. */
function normaliseBuild(build: ComposeMap): ComposeMap {
  let changed = false;
  const entries = [...build.entries.values()].map((entry) => {
    if (entry.key !== 'args' && entry.key !== 'labels') return entry;
    const value = listOrDict(entry.value) ?? entry.value;
    if (value === entry.value) return entry;
    changed = true;
    return { ...entry, value };
  });
  return changed ? mapOf(entries, build) : build;
}

/** `networks: [a, b]` -> `{a: null, b: null}`; `depends_on: [a]` -> `{a: {condition: service_started}}`. */
function namesToMap(list: ComposeSeq, key: string): ComposeMap {
  const entries: ComposeEntry[] = [];
  for (const item of list.items) {
    if (item.kind !== 'scalar' || item.value === null) continue;
    const value: ComposeNode =
      key === 'depends_on'
        ? mapOf([{ key: 'condition', keyPos: item.pos, value: scalar('service_started', item) }], item)
        : scalar(null, item);
    entries.push({ key: String(item.value), keyPos: item.pos, value });
  }
  return mapOf(entries, list);
}

/** The container path of a short (`src:dst:ro`) or long volume entry. */
function volumeTarget(node: ComposeNode): string {
  if (node.kind === 'map') {
    const target = node.entries.get('target')?.value;
    return target?.kind === 'scalar' ? String(target.value) : '';
  }
  if (node.kind !== 'scalar') return '';
  const parts = String(node.value).split(':');
  return parts.length === 1 ? (parts[0] ?? '') : (parts[1] ?? '');
}

function secretSource(node: ComposeNode): string {
  if (node.kind === 'map') {
    const source = node.entries.get('source')?.value;
    return source?.kind === 'scalar' ? String(source.value) : '';
  }
  return node.kind === 'scalar' ? String(node.value) : '';
}

function identity(node: ComposeNode): string {
  return JSON.stringify(toPlain(node));
}

/** Appends `over` to `base`; an item of `over` with the same key as one of `base` replaces it. */
function mergeSequence(base: ComposeSeq, over: ComposeSeq, keyOf: (node: ComposeNode) => string): ComposeSeq {
  const byKey = new Map<string, ComposeNode>();
  for (const item of [...base.items, ...over.items]) byKey.set(keyOf(item) || identity(item), item);
  return seqOf([...byKey.values()], over);
}

function sequenceKey(path: readonly string[]): ((node: ComposeNode) => string) | undefined {
  const key = path.at(-1);
  if (path.length === 3 && key === 'volumes') return volumeTarget;
  if (path.length === 3 && (key === 'secrets' || key === 'configs')) return secretSource;
  return identity;
}

function isReplacedSequence(path: readonly string[]): boolean {
  const key = path.at(-1) ?? '';
  if (path.length === 3 && REPLACED.has(key)) return true;
  return path.length === 4 && path[2] === 'healthcheck' && key === 'test';
}

function stripTag(node: ComposeNode): ComposeNode {
  if (node.tag === undefined) return node;
  const copy = { ...node };
  delete copy.tag;
  return copy;
}

/** Merges `over` onto `base`; `path` is where the nodes sit in the document (`services`, name, key…). */
export function mergeNodes(base: ComposeNode, over: ComposeNode, path: readonly string[]): ComposeNode {
  if (over.tag === '!override') return stripTag(over);
  if (base.kind === 'map' && over.kind === 'map') {
    const baseMap = path.length === 2 && path[0] === 'services' ? normaliseService(base) : base;
    const overMap = path.length === 2 && path[0] === 'services' ? normaliseService(over) : over;
    const entries = new Map(baseMap.entries);
    for (const [key, entry] of overMap.entries) {
      if (entry.value.tag === '!reset') {
        entries.delete(key);
        continue;
      }
      const existing = entries.get(key);
      entries.set(key, existing ? { ...entry, value: mergeNodes(existing.value, entry.value, [...path, key]) } : { ...entry, value: stripTag(entry.value) });
    }
    return mapOf([...entries.values()], over);
  }
  if (base.kind === 'seq' && over.kind === 'seq' && !isReplacedSequence(path)) {
    const keyOf = sequenceKey(path) ?? identity;
    return mergeSequence(base, over, keyOf);
  }
  return stripTag(over);
}

/** Two whole Compose documents merged, `over` applied on `base`. */
export function mergeDocuments(base: ComposeMap, over: ComposeMap): ComposeMap {
  return mergeNodes(base, over, []) as ComposeMap;
}

/** A service extended from `base` (the `extends` target) with its own keys on top. */
export function extendService(base: ComposeMap, own: ComposeMap, name: string): ComposeMap {
  const ownWithoutExtends: ComposeMap = { ...own, entries: new Map([...own.entries].filter(([key]) => key !== 'extends')) };
  return mergeNodes(base, ownWithoutExtends, ['services', name]) as ComposeMap;
}
