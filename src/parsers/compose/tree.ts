/**
 * A Compose file as a small positioned tree: every mapping key and every value knows the
 * file, line and column it was written at, anchors and `<<` merge keys are resolved, and
 * string values are already interpolated. Built straight from js-yaml's event stream, which
 * carries source offsets, so no intermediate document model is made.
 *
 * Anchored nodes are converted once and shared wherever they are aliased, so the tree is a
 * DAG; its expanded size is bounded while it is built, which refuses alias bombs whatever
 * their shape.
 */
import {
  EVENT_ID,
  NOT_RESOLVED,
  SCALAR_STYLE,
  YAMLException,
  boolCoreTag,
  floatCoreTag,
  getScalarValue,
  intCoreTag,
  nullCoreTag,
  parseEvents,
  type Event,
  type ScalarEvent,
} from 'js-yaml';
import { lineStarts, locator } from '../text-position.js';
import type { SourceLocation } from '../text-position.js';
import { interpolate, type InterpolationIssue } from './interpolate.js';
import { yamlReason } from '../excerpt.js';
import { FILE_SIZE_LIMITS } from '../../snapshot/files.js';

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
  /** Bytes of text: files read from disk are capped lower first, by --max-file-bytes. */
  maxBytes: FILE_SIZE_LIMITS.ceilingBytes,
  /** Nesting depth of mappings and sequences. */
  maxDepth: 64,
  /** Nodes once every alias is expanded. */
  maxExpandedNodes: 200_000,
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

/** Ends the build of a file: the problem is the file's only one. */
class TreeRefused extends Error {
  constructor(readonly problem: TreeProblem) {
    super(problem.code);
  }
}

/** Tags Compose gives a meaning to. */
const MERGE_TAGS = new Set(['!reset', '!override']);

/** The YAML 1.2 core schema's implicit types, tried in its order on plain scalars. */
const CORE_TAGS = [nullCoreTag, boolCoreTag, intCoreTag, floatCoreTag];
const EXPLICIT_TAGS = new Map(CORE_TAGS.map((tag) => [`!!${tag.tagName.slice(tag.tagName.lastIndexOf(':') + 1)}`, tag]));

function plainValue(source: string): ScalarValue {
  const first = source.charAt(0);
  for (const tag of CORE_TAGS) {
    if (tag.implicitFirstChars !== null && !tag.implicitFirstChars.includes(first)) continue;
    const value = tag.resolve(source, false, tag.tagName);
    if (value !== NOT_RESOLVED) return value as ScalarValue;
  }
  return source;
}

const ANCHOR_OPEN = Symbol('anchor being built');

class TreeBuilder {
  private index = 0;
  /** Offset to line and column. */
  readonly position: (offset: number) => Position;
  private readonly anchors = new Map<string, ComposeNode | typeof ANCHOR_OPEN>();
  readonly interpolation: LocatedInterpolationIssue[] = [];

  constructor(
    file: string,
    private readonly text: string,
    private readonly events: Event[],
    private readonly lookup: (name: string) => string | undefined,
  ) {
    this.position = locator(file, lineStarts(text));
  }

  refuse(code: TreeProblem['code'], offset: number, data: TreeProblem['data']): never {
    throw new TreeRefused({ code, location: this.position(offset), data });
  }

  /** The root node of the only document, or undefined for a file without one. */
  document(): ComposeNode | undefined {
    const events = this.events;
    if (events.length === 0) return undefined;
    this.index = 1; // the DOCUMENT event
    const root = events[this.index]?.type === EVENT_ID.POP ? undefined : this.node(0, 0);
    this.index += 1; // the document's POP
    if (this.index < events.length) {
      const next = events[this.index + 1];
      this.refuse('yamlError', next === undefined ? this.text.length : this.startOf(next, this.text.length), { reason: 'the file holds more than one YAML document' });
    }
    return root;
  }

  private startOf(event: Event, fallback: number): number {
    switch (event.type) {
      case EVENT_ID.SCALAR:
        if (event.valueStart < 0) return fallback;
        return event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED ? event.valueStart - 1 : event.valueStart;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        return event.start;
      case EVENT_ID.ALIAS:
        return event.anchorStart - 1;
      default:
        return fallback;
    }
  }

  private tagOf(event: Event & { tagStart: number; tagEnd: number }): string | undefined {
    return event.tagStart < 0 ? undefined : this.text.slice(event.tagStart, event.tagEnd);
  }

  private anchorOf(event: Event & { anchorStart: number; anchorEnd: number }): string | undefined {
    return event.anchorStart < 0 ? undefined : this.text.slice(event.anchorStart, event.anchorEnd);
  }

  /** Builds the node whose first event is next; `at` is the offset used when the node has none. */
  private node(depth: number, at: number): ComposeNode {
    const event = this.events[this.index] as Event;
    const offset = this.startOf(event, at);
    if (event.type === EVENT_ID.ALIAS) {
      this.index += 1;
      const name = this.text.slice(event.anchorStart, event.anchorEnd);
      const target = this.anchors.get(name);
      if (target === undefined) this.refuse('yamlError', offset, { reason: `the alias *${name} refers to no anchor before it` });
      if (target === ANCHOR_OPEN) this.refuse('yamlError', offset, { reason: `the alias *${name} is inside the node it names` });
      return target;
    }
    if (depth > COMPOSE_LIMITS.maxDepth) this.refuse('tooDeep', offset, { depth: COMPOSE_LIMITS.maxDepth });
    if (event.type !== EVENT_ID.SCALAR && event.type !== EVENT_ID.MAPPING && event.type !== EVENT_ID.SEQUENCE) {
      this.refuse('yamlError', offset, { reason: 'unexpected YAML structure' });
    }
    const anchor = this.anchorOf(event);
    if (anchor !== undefined) this.anchors.set(anchor, ANCHOR_OPEN);
    const written = this.tagOf(event);
    let tag: NodeBase['tag'];
    if (written !== undefined && MERGE_TAGS.has(written)) tag = written as NodeBase['tag'];
    const pos = this.position(offset);
    let built: ComposeNode;
    if (event.type === EVENT_ID.SCALAR) {
      this.index += 1;
      built = this.scalar(event, written, tag, pos, offset);
    } else if (event.type === EVENT_ID.MAPPING) {
      this.index += 1;
      this.checkCollectionTag(event, written, '!!map', 'a mapping');
      built = this.mapping(depth, offset, pos, tag);
    } else {
      this.index += 1;
      this.checkCollectionTag(event, written, '!!seq', 'a list');
      const items: ComposeNode[] = [];
      let size = 1;
      while ((this.events[this.index] as Event).type !== EVENT_ID.POP) {
        const item = this.node(depth + 1, offset);
        items.push(item);
        size += item.size;
      }
      this.index += 1;
      built = tag ? { kind: 'seq', items, pos, size, tag } : { kind: 'seq', items, pos, size };
    }
    if (built.size > COMPOSE_LIMITS.maxExpandedNodes) this.refuse('aliasBomb', offset, { nodes: COMPOSE_LIMITS.maxExpandedNodes });
    if (anchor !== undefined) this.anchors.set(anchor, built);
    return built;
  }

  /** YAML's own tags that name a type (`!!str`, `!!map`...), as opposed to tags nobody defined. */
  private static readonly TYPE_TAGS = new Set(['!!str', '!!map', '!!seq', ...EXPLICIT_TAGS.keys()]);

  /** A tag error, reported where the tag is written. */
  private refuseTag(event: { tagStart: number }, written: string, kind: string): never {
    const reason = TreeBuilder.TYPE_TAGS.has(written) ? `the tag ${written} does not fit ${kind}` : `unresolved tag: ${written}`;
    this.refuse('yamlError', event.tagStart, { reason });
  }

  private checkCollectionTag(event: { tagStart: number }, written: string | undefined, own: string, kind: string): void {
    if (written === undefined || written === own || written === '!' || MERGE_TAGS.has(written)) return;
    this.refuseTag(event, written, kind);
  }

  private scalar(event: ScalarEvent, written: string | undefined, tag: NodeBase['tag'], pos: Position, offset: number): ComposeScalar {
    const source = event.valueStart < 0 ? '' : getScalarValue(this.text, event);
    let value: ScalarValue;
    if (written === undefined || tag !== undefined) {
      value = event.style === SCALAR_STYLE.PLAIN ? plainValue(source) : source;
    } else if (written === '!!str' || written === '!') {
      value = source;
    } else {
      const explicit = EXPLICIT_TAGS.get(written);
      if (explicit === undefined) this.refuseTag(event, written, 'a single value');
      const resolved = explicit.resolve(source, true, explicit.tagName);
      if (resolved === NOT_RESOLVED) this.refuse('yamlError', offset, { reason: `"${source}" is not a valid ${written}` });
      value = resolved as ScalarValue;
    }
    if (typeof value === 'string' && value.includes('$')) {
      const result = interpolate(value, this.lookup);
      for (const issue of result.issues) this.interpolation.push({ ...issue, location: pos });
      const node: ComposeScalar = { kind: 'scalar', value: result.value, pos, size: 1 };
      if (result.substituted) {
        node.interpolated = true;
        node.written = value;
      }
      if (tag) node.tag = tag;
      return node;
    }
    return tag ? { kind: 'scalar', value, pos, size: 1, tag } : { kind: 'scalar', value, pos, size: 1 };
  }

  private mapping(depth: number, offset: number, pos: Position, tag: NodeBase['tag']): ComposeMap {
    const entries = new Map<string, ComposeEntry>();
    const merged: ComposeEntry[] = [];
    let size = 1;
    const events = this.events;
    while ((events[this.index] as Event).type !== EVENT_ID.POP) {
      const keyEvent = events[this.index] as Event;
      // `<<: *a` or `<<: [*a, *b]`: keys of earlier sources win, explicit keys win over all.
      const isMerge =
        keyEvent.type === EVENT_ID.SCALAR &&
        keyEvent.style === SCALAR_STYLE.PLAIN &&
        keyEvent.tagStart < 0 &&
        keyEvent.valueEnd - keyEvent.valueStart === 2 &&
        this.text.startsWith('<<', keyEvent.valueStart);
      const keyOffset = this.startOf(keyEvent, offset);
      const key = this.node(depth + 1, offset);
      const text = keyText(key);
      const value = this.node(depth + 1, keyOffset);
      if (isMerge) {
        const sources = value.kind === 'seq' ? value.items : [value];
        for (const source of sources) if (source.kind === 'map') merged.push(...source.entries.values());
        continue;
      }
      if (entries.has(text)) {
        this.refuse('yamlError', keyOffset, { reason: `map keys must be unique: "${text}" is written twice` });
      }
      entries.set(text, { key: text, keyPos: key.pos, value });
      size += value.size;
    }
    this.index += 1;
    for (const entry of merged) {
      if (entries.has(entry.key)) continue;
      entries.set(entry.key, entry);
      size += entry.value.size;
    }
    return tag ? { kind: 'map', entries, pos, size, tag } : { kind: 'map', entries, pos, size };
  }
}

function keyText(key: ComposeNode): string {
  if (key.kind === 'scalar') return key.value === null ? '' : String(key.value);
  return JSON.stringify(toPlain(key));
}

/** The problem without words of the file that are not plain (see excerpt.ts). */
function safeReason(problem: TreeProblem): TreeProblem {
  const reason = problem.data['reason'];
  return typeof reason === 'string' ? { ...problem, data: { ...problem.data, reason: yamlReason(reason) } } : problem;
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
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth: COMPOSE_LIMITS.maxDepth + 1 });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const location: Position = error.mark ? { file, line: error.mark.line + 1, column: error.mark.column + 1 } : start;
    // A document with YAML errors is not audited further: what could be recovered from it is a guess.
    if (error.reason.startsWith('nesting exceeded maxDepth')) {
      return { problems: [{ code: 'tooDeep', location, data: { depth: COMPOSE_LIMITS.maxDepth } }], interpolation: [] };
    }
    return { problems: [{ code: 'yamlError', location, data: { reason: yamlReason(error.reason) } }], interpolation: [] };
  }
  const builder = new TreeBuilder(file, text, events, lookup);
  let root: ComposeNode | undefined;
  try {
    root = builder.document();
  } catch (error) {
    if (error instanceof TreeRefused) return { problems: [safeReason(error.problem)], interpolation: [] };
    throw error;
  }
  if (root === undefined) return { problems: [], interpolation: [] };
  if (root.kind !== 'map') {
    const empty = root.kind === 'scalar' && root.value === null;
    return { problems: empty ? [] : [{ code: 'notMapping', location: root.pos, data: { found: root.kind === 'seq' ? 'a list' : 'a single value' } }], interpolation: builder.interpolation };
  }
  return { root, problems: [], interpolation: builder.interpolation };
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
