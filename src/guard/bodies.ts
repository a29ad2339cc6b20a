/**
 * Request bodies turned into what the rules judge. A container create body is the container's
 * `Config` with `HostConfig` and `NetworkingConfig` beside it; rebuilt as the inspect document
 * the daemon would report, it goes through the same mapper as a live container. A service body
 * is a service spec; a plugin's privileges become the workload its container would be.
 */
import { arr, obj, str, strings } from '../snapshot/api-document.js';
import type { ApiDocument, ContainerFacts } from '../snapshot/types.js';

/** What the guard calls the state of a container or service that does not exist yet. */
export const REQUESTED_STATE = 'requested';

function isDocument(value: unknown): value is ApiDocument {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `src:dst[:options]` of `HostConfig.Binds` as an inspect `Mounts` entry. */
function bindMount(bind: string): ApiDocument {
  const parts = bind.split(':');
  const [source = '', destination = '', options = ''] = parts.length >= 2 ? parts : ['', bind];
  const flags = options.split(',');
  const propagation = flags.find((flag) => /^r?(shared|slave|private)$/.test(flag)) ?? '';
  // A source that is not a path names a volume (`data:/var/lib/data`).
  const isPath = source.startsWith('/') || source.startsWith('.') || source.startsWith('~');
  return {
    Type: isPath ? 'bind' : 'volume',
    ...(isPath ? {} : { Name: source }),
    Source: source,
    Destination: destination,
    RW: !flags.includes('ro') && !flags.includes('readonly'),
    Propagation: propagation,
  };
}

/** A `HostConfig.Mounts` entry (the --mount form) as an inspect `Mounts` entry. */
function specMount(entry: unknown): ApiDocument {
  const mount = isDocument(entry) ? entry : {};
  const type = str(mount, 'Type') || 'volume';
  return {
    Type: type,
    ...(type === 'volume' ? { Name: str(mount, 'Source') } : {}),
    Source: str(mount, 'Source'),
    Destination: str(mount, 'Target'),
    RW: mount['ReadOnly'] !== true,
    Propagation: str(obj(mount, 'BindOptions'), 'Propagation'),
  };
}

/** The mounts a create request asks for, as `docker inspect` would list them. */
function mountsOfHostConfig(hostConfig: ApiDocument | undefined): ApiDocument[] {
  const mounts = [...strings(hostConfig, 'Binds').map(bindMount), ...arr(hostConfig, 'Mounts').map(specMount)];
  for (const target of Object.keys(obj(hostConfig, 'Tmpfs') ?? {})) mounts.push({ Type: 'tmpfs', Source: '', Destination: target, RW: true, Propagation: '' });
  return mounts;
}

/** The networks a create request attaches the container to. */
function networksOf(body: ApiDocument, hostConfig: ApiDocument | undefined): ApiDocument {
  const endpoints = obj(obj(body, 'NetworkingConfig'), 'EndpointsConfig') ?? {};
  const names = Object.keys(endpoints);
  const mode = str(hostConfig, 'NetworkMode');
  if (names.length === 0) names.push(mode === '' || mode === 'default' ? 'bridge' : mode);
  return Object.fromEntries(names.map((name) => [name, {}]));
}

/**
 * The container a `POST /containers/create` body describes, as the inspect document the daemon
 * would report once it exists. Throws a TypeError when the body is not a JSON object.
 */
export function containerFromCreateBody(body: unknown, name: string): ContainerFacts {
  if (!isDocument(body)) throw new TypeError('the container create body is not a JSON object');
  const { HostConfig: hostConfigValue, NetworkingConfig: _networking, ...config } = body;
  const hostConfig = isDocument(hostConfigValue) ? hostConfigValue : {};
  return {
    inspect: {
      Id: '',
      Name: `/${name}`,
      Image: '',
      Config: config,
      HostConfig: hostConfig,
      Mounts: mountsOfHostConfig(hostConfig),
      State: { Status: REQUESTED_STATE },
      NetworkSettings: { Networks: networksOf(body, hostConfig) },
      RestartCount: 0,
    },
  };
}

/**
 * The container a `POST /containers/{id}/update` body describes: only the resources and restart
 * policy it sets. Which rules may judge it is the guard's choice (`UPDATE_RULES`).
 */
export function containerFromUpdateBody(body: unknown, name: string): ContainerFacts {
  if (!isDocument(body)) throw new TypeError('the container update body is not a JSON object');
  const { RestartPolicy: restartPolicy, ...resources } = body;
  return containerFromCreateBody({ HostConfig: { ...resources, ...(restartPolicy !== undefined ? { RestartPolicy: restartPolicy } : {}) } }, name);
}

/** The service document (`GET /services` entry) of a service create or update body (a spec). */
export function serviceFromSpecBody(body: unknown, name: string): ApiDocument {
  if (!isDocument(body)) throw new TypeError('the service spec body is not a JSON object');
  return { ID: name, Spec: body };
}

/**
 * The container a plugin's privileges give it (`POST /plugins/pull` and `/upgrade` bodies are
 * the privileges the user accepts, `[{Name, Value: [...]}]`): the host network or PID namespace,
 * host paths mounted read-write, host devices, capabilities.
 */
export function containerFromPluginPrivileges(body: unknown, name: string): ContainerFacts {
  if (!Array.isArray(body)) throw new TypeError('the plugin privileges body is not a JSON array');
  const hostConfig: ApiDocument = { CapAdd: [], Binds: [], Devices: [] };
  for (const entry of body) {
    if (!isDocument(entry)) throw new TypeError('a plugin privilege is not a JSON object');
    const values = strings(entry, 'Value');
    switch (str(entry, 'Name')) {
      case 'network':
        if (values.includes('host')) hostConfig['NetworkMode'] = 'host';
        break;
      case 'host pid':
        if (values.includes('true')) hostConfig['PidMode'] = 'host';
        break;
      case 'mount':
        (hostConfig['Binds'] as string[]).push(...values.map((path) => `${path}:${path}`));
        break;
      case 'device':
        (hostConfig['Devices'] as ApiDocument[]).push(...values.map((path) => ({ PathOnHost: path, PathInContainer: path, CgroupPermissions: 'rwm' })));
        break;
      case 'allow-all-devices':
        if (values.includes('true')) (hostConfig['Devices'] as ApiDocument[]).push({ PathOnHost: '/dev', PathInContainer: '/dev', CgroupPermissions: 'rwm' });
        break;
      case 'capabilities':
        (hostConfig['CapAdd'] as string[]).push(...values);
        break;
      default:
        break;
    }
  }
  return containerFromCreateBody({ Image: name, HostConfig: hostConfig }, name);
}

/** What an exec create body asks for: a privileged process, and the user it runs as. */
export function execOf(body: unknown): { privileged: boolean; user: string } {
  if (!isDocument(body)) throw new TypeError('the exec create body is not a JSON object');
  return { privileged: body['Privileged'] === true, user: str(body, 'User') };
}
