/**
 * Maps Compose services onto the workload shape, so every container rule judges a service
 * written in a file exactly as it judges a live container.
 *
 * - `name` is the service name; two files that both define `web` are told apart by the
 *   finding's location (file:line:column of the service key), which every finding carries.
 * - `location` is the service key; `keyLocations` has the key of every setting a container
 *   rule may point at, where the service (or its `extends` base, or a merged override file,
 *   or a `<<` merge source) writes it. Settings with two spellings map both ways: `mem_limit`
 *   points at `deploy.resources.limits.memory` when that is where the limit is, `restart` at
 *   `deploy.restart_policy`, `networks` at `network_mode`, `image` at `build`, and so on.
 *   A rule about a setting the service does not have points at the service key.
 * - Networks: a service without `networks` or `network_mode` joins the project's own
 *   `<project>_default` network, never Docker's default bridge; only `network_mode: bridge`
 *   (or an external network named `bridge`) puts it there.
 * - Image facts (its user, EXPOSE ports, HEALTHCHECK) come from the service's Dockerfile when
 *   it is built and its Dockerfile was collected (the stage `build.target` names, else the last,
 *   and the stages it is built FROM), else from the snapshot's images when the audit saw an
 *   image of that reference. Otherwise they are unknown, and the ports the service publishes
 *   are taken as declared, so that no rule claims the image lacks them.
 * - A named volume of the local driver whose `driver_opts` bind a host directory (`o: bind`,
 *   `device: /etc`) is mounted as a bind of that directory: the container sees the host's files.
 * - Services with neither `image` nor `build` are not mapped (Compose refuses them; DA905
 *   reports them), and a built service without `image` is named `<service> (built)`.
 */
import { composeProjectsOf, type ComposeProject, type ComposeService } from '../parsers/compose/projects.js';
import { dockerfileFacts, type DockerfileFacts } from '../parsers/compose/dockerfile-link.js';
import { entryOf, textOf, valueAt, valueOf, type ComposeEntry, type ComposeMap, type ComposeNode } from '../parsers/compose/tree.js';
import {
  parseBoolean,
  parseBytes,
  parseDevice,
  parseHealthcheckTest,
  parseNumber,
  parsePort,
  parseRecord,
  parseRestart,
  parseRestartPolicy,
  parseStrings,
  parseTmpfs,
  parseUlimits,
  parseVolume,
} from './compose-values.js';
import { localImage } from './local-images.js';
import type { ApiDocument, Snapshot } from '../snapshot/types.js';
import { type SourceLocation, type Workload, type WorkloadHealthcheck, type WorkloadMount } from './workload.js';
import { obj, str, strings } from '../snapshot/api-document.js';

/**
 * Settings with two spellings: the key a container rule names, and the paths in the service
 * that may set it, the first one written wins.
 */
const KEY_ALIASES: [string, string[][]][] = [
  ['mem_limit', [['mem_limit'], ['deploy', 'resources', 'limits', 'memory']]],
  ['cpus', [['cpus'], ['deploy', 'resources', 'limits', 'cpus'], ['cpu_quota'], ['cpu_shares'], ['cpuset']]],
  ['pids_limit', [['pids_limit'], ['deploy', 'resources', 'limits', 'pids']]],
  ['restart', [['restart'], ['deploy', 'restart_policy']]],
  ['networks', [['networks'], ['network_mode']]],
  ['image', [['image'], ['build']]],
  ['volumes', [['volumes'], ['tmpfs']]],
];

/** Lists whose items a rule may point at one by one (`ports[2]`). */
const LISTED_KEYS = ['ports', 'volumes', 'devices', 'cap_add', 'security_opt'];

/** The entry at a path of keys. */
function entryAt(service: ComposeMap, path: readonly string[]): ComposeEntry | undefined {
  let parent: ComposeNode | undefined = service;
  for (let index = 0; index < path.length - 1; index += 1) parent = valueOf(parent, path[index] ?? '');
  return entryOf(parent, path[path.length - 1] ?? '');
}

/** Where each key a container rule may name is written (the tree's own positions, shared). */
function keyLocationsOf(service: ComposeMap): Record<string, SourceLocation> {
  const locations: Record<string, SourceLocation> = {};
  for (const entry of service.entries.values()) locations[entry.key] = entry.keyPos;
  for (const [key, paths] of KEY_ALIASES) {
    for (const path of paths) {
      const entry = entryAt(service, path);
      if (entry) {
        locations[key] = entry.keyPos;
        break;
      }
    }
  }
  for (const key of LISTED_KEYS) {
    const list = valueOf(service, key);
    if (list?.kind === 'seq') list.items.forEach((item, index) => (locations[`${key}[${index}]`] = item.pos));
  }
  return locations;
}

/** The network names a service is attached to, as Docker will name them. */
function networksOf(service: ComposeMap, project: ComposeProject): { mode: string; networks: string[] } {
  const mode = textOf(valueOf(service, 'network_mode'));
  if (mode) return { mode, networks: mode === 'bridge' ? ['bridge'] : [] };
  const declared = valueOf(project.root, 'networks');
  const attached = valueOf(service, 'networks');
  const keys = attached?.kind === 'map' ? [...attached.entries.keys()] : attached?.kind === 'seq' ? parseStrings(attached) : ['default'];
  const names = keys.map((key) => {
    const definition = valueOf(declared, key);
    const explicit = textOf(valueOf(definition, 'name')) || textOf(valueOf(valueOf(definition, 'external'), 'name'));
    if (explicit) return explicit;
    return parseBoolean(valueOf(definition, 'external')) ? key : `${project.name}_${key}`;
  });
  return { mode: names[0] ?? `${project.name}_default`, networks: names };
}

/**
 * A named volume of the local driver whose `driver_opts` bind a host directory
 * (`o: bind`, `device: /etc`) is that directory: the mount is judged as a bind of it.
 */
function boundHostPath(project: ComposeProject, name: string): string | undefined {
  const definition = valueOf(valueOf(project.root, 'volumes'), name);
  const driver = textOf(valueOf(definition, 'driver'));
  if (driver !== '' && driver !== 'local') return undefined;
  const options = valueOf(definition, 'driver_opts');
  const mountOptions = textOf(valueOf(options, 'o')).split(',').map((option) => option.trim());
  const device = textOf(valueOf(options, 'device'));
  return (mountOptions.includes('bind') || mountOptions.includes('rbind')) && device.startsWith('/') ? device : undefined;
}

function mountsOf(service: ComposeMap, project: ComposeProject): WorkloadMount[] {
  const volumes = valueOf(service, 'volumes');
  const declared = volumes?.kind === 'seq' ? volumes.items.flatMap((item) => parseVolume(item) ?? []) : [];
  const resolved = declared.map((mount) => {
    const device = mount.type === 'volume' && mount.source !== '' ? boundHostPath(project, mount.source) : undefined;
    return device === undefined ? mount : { ...mount, type: 'bind' as const, source: device };
  });
  return [...resolved, ...parseTmpfs(valueOf(service, 'tmpfs'))];
}

function imageOf(service: ComposeService): string {
  const image = textOf(valueOf(service.node, 'image'));
  return image || `${service.name} (built)`;
}

function healthcheckOf(service: ComposeMap, image: ApiDocument | undefined, dockerfile: DockerfileFacts | undefined): WorkloadHealthcheck | undefined {
  const own = parseHealthcheckTest(valueOf(service, 'healthcheck'));
  if (own) return { test: own, origin: 'workload' };
  if (dockerfile?.healthcheck) return { test: dockerfile.healthcheck, origin: 'image' };
  const fromImage = strings(obj(obj(image, 'Config'), 'Healthcheck'), 'Test');
  return fromImage.length > 0 ? { test: fromImage, origin: 'image' } : undefined;
}

function loggingOf(service: ComposeMap): Workload['logging'] {
  const logging = valueOf(service, 'logging');
  const options: Record<string, string> = {};
  const configured = valueOf(logging, 'options');
  if (configured?.kind === 'map') for (const [key, entry] of configured.entries) options[key] = textOf(entry.value);
  return { driver: textOf(valueOf(logging, 'driver')), options };
}

function restartOf(service: ComposeMap): Workload['restart'] {
  const restart = textOf(valueOf(service, 'restart'));
  if (restart) return parseRestart(restart);
  const policy = valueAt(service, 'deploy', 'restart_policy');
  return policy?.kind === 'map' ? parseRestartPolicy(policy) : { name: 'no', maximumRetryCount: 0 };
}

/** A setting that may be written at the service level or under `deploy.resources.limits`. */
function limit<T>(service: ComposeMap, key: string, deployKey: string, parse: (node: ComposeNode | undefined) => T | undefined): T | undefined {
  return parse(valueOf(service, key)) ?? parse(valueAt(service, 'deploy', 'resources', 'limits', deployKey));
}

function workloadOf(service: ComposeService, project: ComposeProject, snapshot: Snapshot): Workload {
  const node = service.node;
  const image = imageOf(service);
  const dockerfile = dockerfileFacts(node, snapshot.files?.files ?? []);
  const inspect = valueOf(node, 'image') && !dockerfile ? localImage(snapshot, image) : undefined;
  const imageConfig = obj(inspect, 'Config');
  const imageUser = dockerfile ? dockerfile.user : inspect ? str(imageConfig, 'User') : undefined;
  const portsNode = valueOf(node, 'ports');
  const ports = portsNode?.kind === 'seq' ? portsNode.items.flatMap(parsePort) : [];
  const expose = parseStrings(valueOf(node, 'expose')).map((port) => (port.includes('/') ? port : `${port}/tcp`));
  // Without the image, what it EXPOSEs is unknown: the published ports are taken as declared.
  const imageExposed = inspect
    ? Object.keys(obj(imageConfig, 'ExposedPorts') ?? {})
    : [...(dockerfile?.exposed ?? []), ...ports.map((port) => `${port.containerPort}/${port.protocol}`)];
  const { mode, networks } = networksOf(node, project);
  const cpus = limit(node, 'cpus', 'cpus', parseNumber) ?? 0;
  const devices = valueOf(node, 'devices');
  const pidsLimit = limit(node, 'pids_limit', 'pids', parseNumber);
  const healthcheck = healthcheckOf(node, inspect, dockerfile);
  return {
    kind: 'compose-service',
    name: service.name,
    image,
    ...(valueOf(node, 'build') !== undefined ? { built: true } : {}),
    user: textOf(valueOf(node, 'user')),
    ...(imageUser !== undefined ? { imageUser } : {}),
    privileged: parseBoolean(valueOf(node, 'privileged')),
    capAdd: parseStrings(valueOf(node, 'cap_add')),
    capDrop: parseStrings(valueOf(node, 'cap_drop')),
    namespaces: {
      network: mode,
      pid: textOf(valueOf(node, 'pid')),
      ipc: textOf(valueOf(node, 'ipc')),
      uts: textOf(valueOf(node, 'uts')),
      userns: textOf(valueOf(node, 'userns_mode')),
      cgroup: textOf(valueOf(node, 'cgroup')),
    },
    networks,
    mounts: mountsOf(node, project),
    ports,
    publishAll: false,
    exposedPorts: [...new Set([...imageExposed, ...expose])],
    resources: {
      memory: limit(node, 'mem_limit', 'memory', parseBytes) ?? 0,
      memorySwap: parseBytes(valueOf(node, 'memswap_limit')) ?? 0,
      kernelMemory: 0,
      cpuShares: parseNumber(valueOf(node, 'cpu_shares')) ?? 0,
      cpuQuota: parseNumber(valueOf(node, 'cpu_quota')) ?? 0,
      nanoCpus: Math.round(cpus * 1e9),
      cpusetCpus: textOf(valueOf(node, 'cpuset')),
      pidsLimit: pidsLimit ?? 0,
      oomKillDisable: parseBoolean(valueOf(node, 'oom_kill_disable')),
      oomScoreAdj: parseNumber(valueOf(node, 'oom_score_adj')) ?? 0,
      cgroupParent: textOf(valueOf(node, 'cgroup_parent')),
      ulimits: parseUlimits(valueOf(node, 'ulimits')),
      devices: devices?.kind === 'seq' ? devices.items.flatMap((item) => parseDevice(item) ?? []) : [],
    },
    readOnlyRootfs: parseBoolean(valueOf(node, 'read_only')),
    restart: restartOf(node),
    ...(healthcheck ? { healthcheck } : {}),
    logging: loggingOf(node),
    securityOpt: parseStrings(valueOf(node, 'security_opt')),
    env: parseRecord(valueOf(node, 'environment')),
    labels: parseRecord(valueOf(node, 'labels')),
    location: service.location,
    keyLocations: keyLocationsOf(node),
  };
}

/** Whether Compose could run the service at all (it needs an image or a build). */
function isRunnable(service: ComposeService): boolean {
  return ['image', 'build'].some((key) => entryOf(service.node, key) !== undefined);
}

/** Every Compose service of the snapshot's files as a workload. */
export function workloadsFromCompose(snapshot: Snapshot): Workload[] {
  return composeProjectsOf(snapshot).projects.flatMap((project) =>
    project.services.filter(isRunnable).map((service) => workloadOf(service, project, snapshot)),
  );
}
