/**
 * Legacy Compose files: the version 1 format, where services sit at the top level of the
 * file, and the keys of that format (`net`, `log_driver`, `log_opt`, `dockerfile`) that
 * `docker compose` no longer accepts but files in the wild still carry.
 *
 * A version 1 file is read into the same model as a current one: its mapping becomes the
 * `services:` of a synthetic root (every node keeps the position it was written at), and
 * each service's legacy keys are read as their current equivalent, so container rules judge
 * `net: host` exactly as `network_mode: host`. Validation stays meaningful: the file is
 * checked against the keys the version 1 format knew, and against the Compose specification
 * for the types of the keys both formats share.
 */
import type { ComposeEntry, ComposeMap, Position } from './tree.js';

/** Keys a service could have in the version 1 format (docker-compose 1.x `config_schema_v1`). */
export const V1_SERVICE_KEYS: ReadonlySet<string> = new Set([
  'build', 'cap_add', 'cap_drop', 'cgroup_parent', 'command', 'container_name', 'cpu_shares', 'cpu_quota', 'cpuset',
  'devices', 'dns', 'dns_search', 'dockerfile', 'domainname', 'entrypoint', 'env_file', 'environment', 'expose',
  'extends', 'external_links', 'extra_hosts', 'hostname', 'image', 'ipc', 'labels', 'links', 'log_driver', 'log_opt',
  'mac_address', 'mem_limit', 'mem_reservation', 'memswap_limit', 'mem_swappiness', 'net', 'oom_score_adj', 'pid',
  'ports', 'privileged', 'read_only', 'restart', 'security_opt', 'shm_size', 'stdin_open', 'stop_signal', 'tty',
  'ulimits', 'user', 'volume_driver', 'volumes', 'volumes_from', 'working_dir',
]);

/** Legacy service keys the Compose specification dropped, with what replaced each. */
export const LEGACY_KEY_REPLACEMENTS: ReadonlyMap<string, string> = new Map([
  ['net', 'network_mode'],
  ['log_driver', 'logging.driver'],
  ['log_opt', 'logging.options'],
  ['dockerfile', 'build.dockerfile'],
  ['volume_driver', 'a named volume with its driver'],
]);

/** Top-level keys of the current format: a file with any of them is not a version 1 file. */
const CURRENT_TOP_LEVEL = new Set(['version', 'services', 'networks', 'volumes', 'secrets', 'configs', 'name', 'include', 'models']);

/**
 * Whether a parsed file is in the version 1 format: it has none of the current top-level
 * keys, every other top-level entry (`x-` extensions aside) is a mapping, and at least one
 * of them has an `image` or a `build`, as every runnable v1 service does (or gets one
 * through `extends`).
 */
export function isVersion1(root: ComposeMap): boolean {
  let service = false;
  for (const [key, entry] of root.entries) {
    if (CURRENT_TOP_LEVEL.has(key)) return false;
    if (key.startsWith('x-')) continue;
    if (entry.value.kind !== 'map') return false;
    if (entry.value.entries.has('image') || entry.value.entries.has('build')) service = true;
  }
  return service;
}

/** A version 1 file's mapping as the `services:` of a current document, positions kept. */
export function wrapVersion1(root: ComposeMap): ComposeMap {
  const services: ComposeMap = { kind: 'map', entries: new Map([...root.entries].filter(([key]) => !key.startsWith('x-'))), pos: root.pos, size: root.size };
  const entry: ComposeEntry = { key: 'services', keyPos: root.pos, value: services };
  return { kind: 'map', entries: new Map([['services', entry]]), pos: root.pos, size: root.size + 1 };
}

function mapOf(entries: ComposeEntry[], pos: Position): ComposeMap {
  return { kind: 'map', entries: new Map(entries.map((entry) => [entry.key, entry])), pos, size: 1 + entries.reduce((total, entry) => total + entry.value.size, 0) };
}

/**
 * A service's legacy keys read as their current equivalent, where the service does not also
 * set that equivalent: `net` as `network_mode`, `log_driver`/`log_opt` as `logging`,
 * `dockerfile` as `build.dockerfile`. New entries point at the legacy key; `net` takes the
 * same values as `network_mode` (`host`, `bridge`, `none`, `container:NAME`). The same node
 * when the service has none.
 */
export function modernLegacyKeys(service: ComposeMap): ComposeMap {
  const net = service.entries.get('net');
  const logDriver = service.entries.get('log_driver');
  const logOpt = service.entries.get('log_opt');
  const dockerfile = service.entries.get('dockerfile');
  if (!net && !logDriver && !logOpt && !dockerfile) return service;
  const entries = new Map(service.entries);
  if (net && !entries.has('network_mode')) entries.set('network_mode', { key: 'network_mode', keyPos: net.keyPos, value: net.value });
  if ((logDriver || logOpt) && !entries.has('logging')) {
    const parts: ComposeEntry[] = [];
    if (logDriver) parts.push({ key: 'driver', keyPos: logDriver.keyPos, value: logDriver.value });
    if (logOpt) parts.push({ key: 'options', keyPos: logOpt.keyPos, value: logOpt.value });
    const at = (logDriver ?? logOpt) as ComposeEntry;
    entries.set('logging', { key: 'logging', keyPos: at.keyPos, value: mapOf(parts, at.keyPos) });
  }
  if (dockerfile) {
    const build = entries.get('build');
    if (build?.value.kind === 'scalar') {
      const context: ComposeEntry = { key: 'context', keyPos: build.keyPos, value: build.value };
      const file: ComposeEntry = { key: 'dockerfile', keyPos: dockerfile.keyPos, value: dockerfile.value };
      entries.set('build', { ...build, value: mapOf([context, file], build.value.pos) });
    } else if (build?.value.kind === 'map' && !build.value.entries.has('dockerfile')) {
      const value = mapOf([...build.value.entries.values(), { key: 'dockerfile', keyPos: dockerfile.keyPos, value: dockerfile.value }], build.value.pos);
      entries.set('build', { ...build, value });
    }
  }
  return { ...service, entries, size: [...entries.values()].reduce((total, entry) => total + entry.value.size, 1) };
}

/** A version 1 document without its legacy-only keys, for validating what both formats share. */
export function withoutLegacyKeys(wrapped: ComposeMap): ComposeMap {
  const services = wrapped.entries.get('services');
  if (services?.value.kind !== 'map') return wrapped;
  const kept = new Map<string, ComposeEntry>();
  for (const [name, entry] of services.value.entries) {
    const service = entry.value;
    if (service.kind !== 'map') {
      kept.set(name, entry);
      continue;
    }
    const entries = new Map([...service.entries].filter(([key]) => !LEGACY_KEY_REPLACEMENTS.has(key)));
    kept.set(name, { ...entry, value: { ...service, entries } });
  }
  const value: ComposeMap = { ...services.value, entries: kept };
  return { ...wrapped, entries: new Map([['services', { ...services, value }]]) };
}

/** Keys of version 1 services that the format did not know, with their positions. */
export function unknownVersion1Keys(wrapped: ComposeMap): { service: string; key: string; pos: Position }[] {
  const services = wrapped.entries.get('services');
  if (services?.value.kind !== 'map') return [];
  const unknown: { service: string; key: string; pos: Position }[] = [];
  for (const [name, entry] of services.value.entries) {
    if (entry.value.kind !== 'map') continue;
    for (const [key, field] of entry.value.entries) if (!V1_SERVICE_KEYS.has(key)) unknown.push({ service: name, key, pos: field.keyPos });
  }
  return unknown;
}
