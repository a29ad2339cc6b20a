/**
 * Maps Swarm services onto the workload shape, so the container rules judge a service's spec
 * (what every task of it will run with) under the same rule ids as a live container.
 *
 * The tasks' containers are live containers too and are audited as such; the service is the
 * definition that keeps recreating them, so a fix belongs there.
 */
import { localImage } from './local-images.js';
import { isUnavailable, type ApiDocument, type Snapshot } from '../snapshot/types.js';
import { ulimitsOf, type Workload, type WorkloadHealthcheck, type WorkloadMount, type WorkloadPort } from './workload.js';
import { arr, num, obj, str, envRecord, stringRecord, strings } from '../snapshot/api-document.js';

/** How a Swarm service publishes a port: through the routing mesh, or on the nodes running its tasks. */
export type PublishMode = 'ingress' | 'host';

export interface ServicePort {
  targetPort: number;
  /** Undefined when Swarm has not assigned one yet (only in a spec never deployed). */
  publishedPort?: number;
  protocol: string;
  mode: PublishMode;
}

/**
 * Published ports of a service. `Endpoint.Ports` holds what Swarm really assigned (a port
 * published without a number gets one from 30000–32767); the specs are the fallback for a
 * service whose endpoint is not reported.
 */
export function servicePorts(service: ApiDocument): ServicePort[] {
  const endpoint = obj(service, 'Endpoint');
  const assigned = arr(endpoint, 'Ports');
  const declared = assigned.length > 0 ? assigned : arr(obj(endpoint, 'Spec'), 'Ports');
  const ports = declared.length > 0 ? declared : arr(obj(obj(service, 'Spec'), 'EndpointSpec'), 'Ports');
  return ports.map((entry) => {
    const port = entry as ApiDocument;
    const published = num(port, 'PublishedPort');
    return {
      targetPort: num(port, 'TargetPort'),
      ...(published > 0 ? { publishedPort: published } : {}),
      protocol: str(port, 'Protocol') || 'tcp',
      // Swarm's default publish mode is ingress.
      mode: str(port, 'PublishMode') === 'host' ? 'host' : 'ingress',
    };
  });
}

/** The task template's container spec of a service. */
export function containerSpecOf(service: ApiDocument): ApiDocument | undefined {
  return obj(obj(obj(service, 'Spec'), 'TaskTemplate'), 'ContainerSpec');
}

/** The service's name (`Spec.Name`), else its id. */
export function serviceName(service: ApiDocument): string {
  return str(obj(service, 'Spec'), 'Name') || str(service, 'ID');
}

/** Network names by id, so a service's attachments (by id) read as the names people gave them. */
function networkNames(snapshot: Snapshot): Map<string, string> {
  const names = new Map<string, string>();
  if (isUnavailable(snapshot.networks)) return names;
  for (const network of snapshot.networks) names.set(str(network, 'Id'), str(network, 'Name'));
  return names;
}

function resolveNetwork(target: string, names: Map<string, string>): string {
  const exact = names.get(target);
  if (exact !== undefined) return exact;
  // A spec may name the network, or carry a short id.
  for (const [id, name] of names) if (name === target || (target.length >= 12 && id.startsWith(target))) return name;
  return target;
}

function mountsOf(spec: ApiDocument | undefined): WorkloadMount[] {
  return arr(spec, 'Mounts').map((entry) => {
    const mount = entry as ApiDocument;
    const type = (str(mount, 'Type') || 'volume') as WorkloadMount['type'];
    const propagation = str(obj(mount, 'BindOptions'), 'Propagation');
    return {
      type,
      source: str(mount, 'Source'),
      target: str(mount, 'Target'),
      readOnly: mount['ReadOnly'] === true,
      ...(propagation ? { propagation } : {}),
    };
  });
}

/**
 * Security options as `docker run --security-opt` spells them, from the service's Privileges:
 * SELinux labels (API 1.41), and no-new-privileges, seccomp and AppArmor modes where the
 * daemon's API version carries them.
 */
function securityOptionsOf(privileges: ApiDocument | undefined): string[] {
  const options: string[] = [];
  const selinux = obj(privileges, 'SELinuxContext');
  if (selinux?.['Disable'] === true) options.push('label=disable');
  for (const [key, field] of [['user', 'User'], ['role', 'Role'], ['type', 'Type'], ['level', 'Level']] as const) {
    const value = str(selinux, field);
    if (value) options.push(`label=${key}:${value}`);
  }
  if (typeof privileges?.['NoNewPrivileges'] === 'boolean') options.push(`no-new-privileges:${String(privileges['NoNewPrivileges'])}`);
  const seccomp = obj(privileges, 'Seccomp');
  const seccompMode = str(seccomp, 'Mode');
  if (seccompMode === 'unconfined') options.push('seccomp=unconfined');
  else if (seccompMode === 'custom') options.push('seccomp=custom');
  const apparmorMode = str(obj(privileges, 'AppArmor'), 'Mode');
  if (apparmorMode === 'disabled') options.push('apparmor=unconfined');
  return options;
}

/** Swarm restart conditions under the names of Docker's container restart policies. */
const RESTART_NAMES: Record<string, string> = { any: 'always', 'on-failure': 'on-failure', none: 'no' };

function restartOf(policy: ApiDocument | undefined): Workload['restart'] {
  // Swarm restarts a task on any exit when the service names no condition.
  const condition = str(policy, 'Condition') || 'any';
  return { name: RESTART_NAMES[condition] ?? condition, maximumRetryCount: num(policy, 'MaxAttempts') };
}

function healthcheckOf(spec: ApiDocument | undefined, image: ApiDocument | undefined): WorkloadHealthcheck | undefined {
  // Go encodes the field as `Healthcheck`; the API reference spells it `HealthCheck`.
  const own = strings(obj(spec, 'Healthcheck') ?? obj(spec, 'HealthCheck'), 'Test');
  if (own.length > 0) return { test: own, origin: 'workload' };
  const fromImage = strings(obj(obj(image, 'Config'), 'Healthcheck'), 'Test');
  return fromImage.length > 0 ? { test: fromImage, origin: 'image' } : undefined;
}

/**
 * The log driver the tasks get. Without a LogDriver in the spec they use the daemon's default
 * driver; the daemon's default log options apply when the driver is its default one, as they
 * do for a container.
 */
function loggingOf(template: ApiDocument | undefined, snapshot: Snapshot): Workload['logging'] {
  const logDriver = obj(template, 'LogDriver');
  const daemon = snapshot.daemon;
  const defaultDriver = isUnavailable(daemon) ? '' : str(daemon.info, 'LoggingDriver');
  const defaultOptions =
    isUnavailable(daemon) || isUnavailable(daemon.config) ? {} : stringRecord(daemon.config.settings['log-opts'] as ApiDocument | undefined);
  const driver = str(logDriver, 'Name') || defaultDriver;
  const own = stringRecord(obj(logDriver, 'Options'));
  return { driver, options: driver !== '' && driver === defaultDriver ? { ...defaultOptions, ...own } : own };
}

/** Builds the workload of one Swarm service (`GET /services` entry). */
export function workloadFromService(service: ApiDocument, snapshot: Snapshot, names = networkNames(snapshot)): Workload {
  const spec = obj(service, 'Spec');
  const template = obj(spec, 'TaskTemplate');
  const container = containerSpecOf(service);
  const limits = obj(obj(template, 'Resources'), 'Limits');
  const image = str(container, 'Image');
  const imageDoc = localImage(snapshot, image);
  const imageId = str(imageDoc, 'Id');
  // `Spec.Networks` is the pre-1.25 place for attachments; daemons still accept and report it.
  // The endpoint's virtual IPs add the ingress network of a service publishing through it.
  const attachments = [...arr(template, 'Networks'), ...arr(spec, 'Networks')].map((entry) => str(entry as ApiDocument, 'Target'));
  const virtualIps = arr(obj(service, 'Endpoint'), 'VirtualIPs').map((entry) => str(entry as ApiDocument, 'NetworkID'));
  const attached = [...new Set([...attachments, ...virtualIps].filter(Boolean).map((target) => resolveNetwork(target, names)))];
  // Swarm puts the tasks of a service attached to no network on the default bridge.
  const networks = attached.length > 0 ? attached : ['bridge'];
  const ports: WorkloadPort[] = servicePorts(service).map((port) => ({
    containerPort: port.targetPort,
    protocol: port.protocol,
    // Neither publish mode can be bound to an address: ingress listens on every interface of
    // every node, host mode on every interface of each node running a task.
    hostIp: '',
    ...(port.publishedPort !== undefined ? { hostPort: port.publishedPort } : {}),
  }));
  const healthcheck = healthcheckOf(container, imageDoc);

  return {
    kind: 'service',
    id: str(service, 'ID'),
    name: serviceName(service),
    image,
    ...(imageId ? { imageId } : {}),
    user: str(container, 'User'),
    imageUser: str(obj(imageDoc, 'Config'), 'User'),
    // Swarm has no privileged mode: the service API offers no way to ask for one.
    privileged: false,
    capAdd: strings(container, 'CapabilityAdd'),
    capDrop: strings(container, 'CapabilityDrop'),
    namespaces: {
      // A task joins the host's network stack only by attaching the service to the `host` network.
      network: networks.includes('host') ? 'host' : (attached[0] ?? 'default'),
      // Swarm offers no way to share the host's PID, IPC, UTS, user or cgroup namespaces.
      pid: '',
      ipc: 'private',
      uts: '',
      userns: '',
      cgroup: '',
    },
    networks,
    mounts: mountsOf(container),
    ports,
    publishAll: false,
    exposedPorts: Object.keys(obj(obj(imageDoc, 'Config'), 'ExposedPorts') ?? {}),
    resources: {
      memory: num(limits, 'MemoryBytes'),
      // Swarm has no swap setting: tasks get Docker's default of twice the memory limit.
      memorySwap: 0,
      kernelMemory: 0,
      cpuShares: 0,
      cpuQuota: 0,
      nanoCpus: num(limits, 'NanoCPUs'),
      cpusetCpus: '',
      pidsLimit: num(limits, 'Pids'),
      oomKillDisable: false,
      oomScoreAdj: 0,
      cgroupParent: '',
      ulimits: ulimitsOf(container),
      // Swarm cannot map host devices into tasks.
      devices: [],
    },
    readOnlyRootfs: container?.['ReadOnly'] === true,
    restart: restartOf(obj(template, 'RestartPolicy')),
    ...(healthcheck ? { healthcheck } : {}),
    logging: loggingOf(template, snapshot),
    securityOpt: securityOptionsOf(obj(container, 'Privileges')),
    env: envRecord(strings(container, 'Env')),
    labels: { ...stringRecord(obj(spec, 'Labels')), ...stringRecord(obj(container, 'Labels')) },
  };
}

/** Every Swarm service of the snapshot as a workload. */
export function workloadsFromSwarm(snapshot: Snapshot): Workload[] {
  if (isUnavailable(snapshot.swarm)) return [];
  const names = networkNames(snapshot);
  return snapshot.swarm.services.map((service) => workloadFromService(service, snapshot, names));
}
