/**
 * Maps a live container (inspect document, its image and processes) onto the workload shape.
 */
import { isUnavailable, type ApiDocument, type ContainerFacts } from '../snapshot/types.js';
import { ulimitsOf, type Workload, type WorkloadDevice, type WorkloadMount, type WorkloadPort } from './workload.js';
import { arr, envRecord, num, obj, str, stringRecord, strings } from '../snapshot/api-document.js';

function parsePortKey(key: string): { port: number; protocol: string } {
  const [port, protocol] = key.split('/');
  return { port: Number.parseInt(port ?? '0', 10), protocol: protocol ?? 'tcp' };
}

function parseHostPort(value: string): { hostPort?: number; hostPortEnd?: number } {
  if (value === '' || value === '0') return {};
  const [start, end] = value.split('-');
  const hostPort = Number.parseInt(start ?? '', 10);
  const hostPortEnd = end === undefined ? undefined : Number.parseInt(end, 10);
  return {
    ...(Number.isFinite(hostPort) ? { hostPort } : {}),
    ...(hostPortEnd !== undefined && Number.isFinite(hostPortEnd) ? { hostPortEnd } : {}),
  };
}

function portsOf(hostConfig: ApiDocument | undefined, exposedPorts: string[]): WorkloadPort[] {
  const ports: WorkloadPort[] = [];
  const bindings = obj(hostConfig, 'PortBindings') ?? {};
  for (const [key, value] of Object.entries(bindings)) {
    const { port, protocol } = parsePortKey(key);
    const list = Array.isArray(value) ? (value as ApiDocument[]) : [];
    for (const binding of list) {
      ports.push({ containerPort: port, protocol, hostIp: str(binding, 'HostIp'), ...parseHostPort(str(binding, 'HostPort')) });
    }
  }
  if (hostConfig?.['PublishAllPorts'] === true) {
    for (const key of exposedPorts) {
      if (key in bindings) continue;
      const { port, protocol } = parsePortKey(key);
      ports.push({ containerPort: port, protocol, hostIp: '' });
    }
  }
  return ports;
}

/**
 * The mount's type. Daemons before API 1.25 report none: there a mount with a volume name is a
 * volume and any other is a bind mount of its host path, which rules about host paths must see.
 */
function mountType(mount: ApiDocument): WorkloadMount['type'] {
  const type = str(mount, 'Type');
  if (type) return type as WorkloadMount['type'];
  return str(mount, 'Name') ? 'volume' : 'bind';
}

function mountsOf(inspect: ApiDocument): WorkloadMount[] {
  return arr(inspect, 'Mounts').map((entry) => {
    const mount = entry as ApiDocument;
    const type = mountType(mount);
    const propagation = str(mount, 'Propagation');
    return {
      type,
      source: type === 'volume' ? str(mount, 'Name') || str(mount, 'Source') : str(mount, 'Source'),
      target: str(mount, 'Destination'),
      readOnly: mount['RW'] === false,
      ...(propagation ? { propagation } : {}),
    };
  });
}

function devicesOf(hostConfig: ApiDocument | undefined): WorkloadDevice[] {
  return arr(hostConfig, 'Devices').map((entry) => {
    const device = entry as ApiDocument;
    return {
      hostPath: str(device, 'PathOnHost'),
      containerPath: str(device, 'PathInContainer'),
      permissions: str(device, 'CgroupPermissions'),
    };
  });
}

/** Builds the workload of a live container; `image` is the inspect document of its image, when known. */
export function workloadFromContainer(facts: ContainerFacts, image?: ApiDocument): Workload {
  const inspect = facts.inspect;
  const config = obj(inspect, 'Config');
  const hostConfig = obj(inspect, 'HostConfig');
  const state = obj(inspect, 'State');
  const imageConfig = obj(image, 'Config');
  // Docker adds every published port to the container's ExposedPorts, so the image's list is the
  // one that tells what the image declares; the container's is a fallback when the image is gone.
  const exposedPorts = Object.keys((image ? obj(imageConfig, 'ExposedPorts') : obj(config, 'ExposedPorts')) ?? {});
  const healthTest = strings(obj(config, 'Healthcheck'), 'Test');
  const imageHealthTest = strings(obj(imageConfig, 'Healthcheck'), 'Test');
  const restartPolicy = obj(hostConfig, 'RestartPolicy');
  const logConfig = obj(hostConfig, 'LogConfig');
  const health = str(obj(state, 'Health'), 'Status');
  const networks = Object.keys(obj(obj(inspect, 'NetworkSettings'), 'Networks') ?? {});
  const processes = facts.processes && !isUnavailable(facts.processes) ? facts.processes : undefined;
  const pidsLimit = hostConfig?.['PidsLimit'];

  const workload: Workload = {
    kind: 'container',
    id: str(inspect, 'Id'),
    name: str(inspect, 'Name').replace(/^\//, ''),
    state: str(state, 'Status'),
    image: str(config, 'Image'),
    imageId: str(inspect, 'Image'),
    user: str(config, 'User'),
    imageUser: str(imageConfig, 'User'),
    privileged: hostConfig?.['Privileged'] === true,
    capAdd: strings(hostConfig, 'CapAdd'),
    capDrop: strings(hostConfig, 'CapDrop'),
    namespaces: {
      network: str(hostConfig, 'NetworkMode'),
      pid: str(hostConfig, 'PidMode'),
      ipc: str(hostConfig, 'IpcMode'),
      uts: str(hostConfig, 'UTSMode'),
      userns: str(hostConfig, 'UsernsMode'),
      cgroup: str(hostConfig, 'CgroupnsMode'),
    },
    networks,
    mounts: mountsOf(inspect),
    ports: portsOf(hostConfig, exposedPorts),
    publishAll: hostConfig?.['PublishAllPorts'] === true,
    exposedPorts,
    resources: {
      memory: num(hostConfig, 'Memory'),
      memorySwap: num(hostConfig, 'MemorySwap'),
      kernelMemory: num(hostConfig, 'KernelMemory'),
      cpuShares: num(hostConfig, 'CpuShares'),
      cpuQuota: num(hostConfig, 'CpuQuota'),
      nanoCpus: num(hostConfig, 'NanoCpus'),
      cpusetCpus: str(hostConfig, 'CpusetCpus'),
      pidsLimit: typeof pidsLimit === 'number' ? pidsLimit : 0,
      oomKillDisable: hostConfig?.['OomKillDisable'] === true,
      oomScoreAdj: num(hostConfig, 'OomScoreAdj'),
      cgroupParent: str(hostConfig, 'CgroupParent'),
      ulimits: ulimitsOf(hostConfig),
      devices: devicesOf(hostConfig),
    },
    readOnlyRootfs: hostConfig?.['ReadonlyRootfs'] === true,
    restart: { name: str(restartPolicy, 'Name') || 'no', maximumRetryCount: num(restartPolicy, 'MaximumRetryCount') },
    ...(healthTest.length > 0
      ? {
          healthcheck: {
            test: healthTest,
            origin: imageHealthTest.join('\u0000') === healthTest.join('\u0000') ? 'image' : 'workload',
          },
        }
      : {}),
    ...(health ? { health } : {}),
    logging: { driver: str(logConfig, 'Type'), options: stringRecord(obj(logConfig, 'Config')) },
    securityOpt: strings(hostConfig, 'SecurityOpt'),
    env: envRecord(strings(config, 'Env')),
    labels: stringRecord(obj(config, 'Labels')),
    ...(processes ? { processes: processes.map(({ user, command }) => ({ user, command })) } : {}),
    restartCount: num(inspect, 'RestartCount'),
  };
  return workload;
}
