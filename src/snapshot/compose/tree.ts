/**
 * A Compose file as a small positioned tree: every mapping key and every value knows the
 * file, line and column it was written at, anchors and `<<` merge keys are resolved, and
 * string values are already interpolated. Built from the `yaml` package's document model.
 *
 * Anchored nodes are converted once and shared wherever they are aliased, so the tree is a
 * DAG; its expanded size is bounded while it is built, which refuses alias bombs whatever
 * their shape.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { SourceLocation } from '../workload.js';
import { interpolate, type InterpolationIssue } from './interpolate.js';

/** A position in a Compose file; `column` is always known here. */
export type Position = SourceLocation & { column: number };

export type ScalarValue = string | number | boolean | null;

interface NodeBase {
  pos: Position;
  /** `!reset` or `!override` when the file tags the node so (merge directives). */
  tag?: '!reset' | '!override';
  /** Number of nodes in the expanded subtree (aliases counted each time they are used). */
  size: number;
}

export interface ComposeScalar extends NodeBase {
  kind: 'scalar';
  value: ScalarValue;
  /** True when a `${…}` or `$VAR` reference was replaced: the value is not written in the file as such. */
  interpolated?: boolean;
  /** The value as the file writes it, before interpolation (set when `interpolated`). */
  written?: string;
}

export interface ComposeSeq extends NodeBase {
  kind: 'seq';
  items: ComposeNode[];
}

export interface ComposeEntry {
  key: string;
  keyPos: Position;
  value: ComposeNode;
}

export interface ComposeMap extends NodeBase {
  kind: 'map';
  entries: Map<string, ComposeEntry>;
}

export type ComposeNode = ComposeScalar | ComposeSeq | ComposeMap;

/** Refusal thresholds: no real Compose file comes near them. */
export const COMPOSE_LIMITS = {
  /** Bytes of text. */
  maxBytes: 512 * 1024,
  /** Nesting depth of mappings and sequences. */
  maxDepth: 64,
  /** Nodes once every alias is expanded. */
  maxExpandedNodes: 200_000,
  /** yaml's own guard against exponential alias expansion. */
  maxAliasCount: 1_000,
} as const;

/** Why a file was refused or where its YAML is broken. */
export interface TreeProblem {
  code: 'tooLarge' | 'aliasBomb' | 'tooDeep' | 'yamlError' | 'notMapping';
  location: Position;
  data: Record<string, string | number>;
}

/** An interpolation issue at the scalar it happened in. */
export interface LocatedInterpolationIssue extends InterpolationIssue {
  location: Position;
}

export interface ParsedTree {
  /** Undefined when the file was refused or its root is not a mapping. */
  root?: ComposeMap;
  problems: TreeProblem[];
  interpolation: LocatedInterpolationIssue[];
}

class LimitExceeded extends Error {
  constructor(
    readonly code: 'aliasBomb' | 'tooDeep',
    readonly pos: Position,
    readonly data: Record<string, string | number>,
  ) {
    super(code);
  }
}

/** Tags Compose gives a meaning to; any other unknown tag is left to the YAML layer. */
const MERGE_TAGS = new Set(['!reset', '!override']);

/** Scalar value as Compose sees it: keys and values that YAML typed are kept typed. */
function scalarValue(value: unknown): ScalarValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  return String(value);
}

function keyText(key: unknown): string {
  if (isScalar(key)) {
    const value = key.value;
    return value === null || value === undefined ? '' : String(value);
  }
  return String(key);
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (typeof key.value === 'symbol' || key.source === '<<');
}

interface BuildContext {
  file: string;
  lines: LineCounter;
  doc: Document.Parsed;
  lookup: (name: string) => string | undefined;
  memo: Map<YamlNode, ComposeNode>;
  interpolation: LocatedInterpolationIssue[];
}

function positionOf(context: BuildContext, offset: number | undefined): Position {
  const { line, col } = context.lines.linePos(offset ?? 0);
  return { file: context.file, line, column: col };
}

function tagOf(node: YamlNode): NodeBase['tag'] {
  const tag = node.tag;
  return tag !== undefined && MERGE_TAGS.has(tag) ? (tag as NodeBase['tag']) : undefined;
}

function build(node: YamlNode | null | undefined, context: BuildContext, depth: number, at: number): ComposeNode {
  if (node === null || node === undefined) {
    return { kind: 'scalar', value: null, pos: positionOf(context, at), size: 1 };
  }
  if (isAlias(node)) {
    const target = node.resolve(context.doc);
    return build(target as YamlNode | undefined, context, depth, node.range?.[0] ?? at);
  }
  const cached = context.memo.get(node);
  if (cached) return cached;
  const start = node.range?.[0] ?? at;
  const pos = positionOf(context, start);
  if (depth > COMPOSE_LIMITS.maxDepth) throw new LimitExceeded('tooDeep', pos, { depth: COMPOSE_LIMITS.maxDepth });
  const tag = tagOf(node);
  let built: ComposeNode;
  if (isMap(node)) {
    const entries = new Map<string, ComposeEntry>();
    const merged: ComposeEntry[] = [];
    let size = 1;
    for (const pair of node.items) {
      const value = build(pair.value as YamlNode | null, context, depth + 1, start);
      if (isMergeKey(pair.key)) {
        // `<<: *a` or `<<: [*a, *b]`: keys of earlier sources win, explicit keys win over all.
        const sources = value.kind === 'seq' ? value.items : [value];
        for (const source of sources) if (source.kind === 'map') merged.push(...source.entries.values());
        continue;
      }
      const keyNode = pair.key as YamlNode | null;
      const keyPos = positionOf(context, keyNode?.range?.[0] ?? start);
      entries.set(keyText(pair.key), { key: keyText(pair.key), keyPos, value });
      size += value.size;
    }
    for (const entry of merged) {
      if (entries.has(entry.key)) continue;
      entries.set(entry.key, entry);
      size += entry.value.size;
    }
    built = { kind: 'map', entries, pos, size, ...(tag ? { tag } : {}) };
  } else if (isSeq(node)) {
    const items = node.items.map((item) => build(item as YamlNode | null, context, depth + 1, start));
    built = { kind: 'seq', items, pos, size: 1 + items.reduce((total, item) => total + item.size, 0), ...(tag ? { tag } : {}) };
  } else if (isScalar(node)) {
    const raw = scalarValue(node.value);
    if (typeof raw === 'string' && raw.includes('$')) {
      const result = interpolate(raw, context.lookup);
      for (const issue of result.issues) context.interpolation.push({ ...issue, location: pos });
      built = { kind: 'scalar', value: result.value, pos, size: 1, ...(result.substituted ? { interpolated: true, written: raw } : {}), ...(tag ? { tag } : {}) };
    } else {
      built = { kind: 'scalar', value: raw, pos, size: 1, ...(tag ? { tag } : {}) };
    }
  } else {
    built = { kind: 'scalar', value: null, pos, size: 1 };
  }
  if (built.size > COMPOSE_LIMITS.maxExpandedNodes) {
    throw new LimitExceeded('aliasBomb', pos, { nodes: COMPOSE_LIMITS.maxExpandedNodes });
  }
  context.memo.set(node, built);
  return built;
}

/** YAML warnings that are not problems for Compose (its own merge tags). */
function isIgnorableWarning(code: string, message: string): boolean {
  return code === 'TAG_RESOLVE_FAILED' && /!(reset|override)\b/.test(message);
}

/**
 * Parses one Compose file. `lookup` resolves interpolation variables (the project's `.env`);
 * it never reads the process environment, so the result depends on the files alone.
 */
export function parseComposeTree(file: string, text: string, lookup: (name: string) => string | undefined): ParsedTree {
  const start: Position = { file, line: 1, column: 1 };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > COMPOSE_LIMITS.maxBytes) {
    return { problems: [{ code: 'tooLarge', location: start, data: { bytes, limit: COMPOSE_LIMITS.maxBytes } }], interpolation: [] };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, merge: true, uniqueKeys: true, prettyErrors: false, strict: true });
  const problems: TreeProblem[] = [];
  for (const error of [...doc.errors, ...doc.warnings]) {
    if (isIgnorableWarning(error.code, error.message)) continue;
    const { line, col } = lines.linePos(error.pos[0]);
    // yaml appends " at line L, column C" to its messages; the finding carries the position itself.
    const reason = (error.message.split('\n')[0] ?? error.code).replace(/ at line \d+, column \d+:?$/, '');
    problems.push({ code: 'yamlError', location: { file, line, column: col }, data: { reason } });
  }
  // A document with YAML errors is not audited further: what yaml recovers from it is a guess.
  if (problems.length > 0) return { problems, interpolation: [] };
  // yaml counts alias expansion before expanding anything, so this stops a billion-laughs file
  // cheaply; files without an alias (`*name` after a space, `[`, `{`, `,` or `:`) skip it.
  if (/(?:^|[\s[{,:])\*[^\s,[\]{}]/.test(text)) {
    try {
      doc.toJS({ maxAliasCount: COMPOSE_LIMITS.maxAliasCount });
    } catch (error) {
      if (error instanceof ReferenceError || /alias/i.test(String(error))) {
        return { problems: [...problems, { code: 'aliasBomb', location: start, data: { nodes: COMPOSE_LIMITS.maxExpandedNodes } }], interpolation: [] };
      }
    }
  }
  const context: BuildContext = { file, lines, doc, lookup, memo: new Map(), interpolation: [] };
  let root: ComposeNode;
  try {
    root = build(doc.contents as YamlNode | null, context, 0, 0);
  } catch (error) {
    if (error instanceof LimitExceeded) {
      return { problems: [...problems, { code: error.code, location: error.pos, data: error.data }], interpolation: [] };
    }
    throw error;
  }
  if (root.kind !== 'map') {
    const empty = root.kind === 'scalar' && root.value === null;
    if (!empty) problems.push({ code: 'notMapping', location: root.pos, data: { found: root.kind === 'seq' ? 'a list' : 'a single value' } });
    return { problems, interpolation: context.interpolation };
  }
  return { root, problems, interpolation: context.interpolation };
}

/** The entry under `key`, when the node is a mapping that has it. */
export function entryOf(node: ComposeNode | undefined, key: string): ComposeEntry | undefined {
  return node?.kind === 'map' ? node.entries.get(key) : undefined;
}

/** The value under `key`, when the node is a mapping that has it. */
export function valueOf(node: ComposeNode | undefined, key: string): ComposeNode | undefined {
  return entryOf(node, key)?.value;
}

/** The value at a path of keys. */
export function valueAt(node: ComposeNode | undefined, ...keys: string[]): ComposeNode | undefined {
  let current = node;
  for (const key of keys) current = valueOf(current, key);
  return current;
}

/** A scalar as text ('' for null and for collections). */
export function textOf(node: ComposeNode | undefined): string {
  if (node?.kind !== 'scalar' || node.value === null) return '';
  return String(node.value);
}

/** The node as plain data (for schema validation and hashing); aliases are expanded. */
export function toPlain(node: ComposeNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toPlain);
    case 'map': {
      const result: Record<string, unknown> = {};
      for (const [key, entry] of node.entries) result[key] = toPlain(entry.value);
      return result;
    }
  }
}
