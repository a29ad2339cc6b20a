/**
 * Swarm documents for tests, shaped like what Docker 20.10 returns (GET /swarm, /nodes,
 * /services on a single-node swarm created with `docker swarm init`), so a test states only
 * what differs.
 */
import type { SnapshotBuilder } from '../../../helpers/builder.js';
import type { ApiDocument } from '../../../../src/snapshot/types.js';

/** The root CA a real `docker swarm init` created: CN=swarm-ca, 2026-11-28 to 2046-11-23. */
export const SWARM_ROOT_CA =
  '-----BEGIN CERTIFICATE-----\nMIIBajCCARCgAwIBAgIUJj24lzBHqWa8TPGSMG3XWrxHCXMwCgYIKoZIzj0EAwIw\nEzERMA8GA1UEAxMIc3dhcm0tY2EwHhcNMjYxMTI4MTM0MDAwWhcNNDYxMTIzMTM0\nMDAwWjATMREwDwYDVQQDEwhzd2FybS1jYTBZMBMGByqGSM49AgEGCCqGSM49AwEH\nA0IABA9OacYLKBUHwo2yQ/mbPWJeDs+cPpWAzB8jqJ9vs283JZ2xxc5Vlnv2jPRI\nGIHaJ407YePYAmsawbQQ1t6gMN2jQjBAMA4GA1UdDwEB/wQEAwIBBjAPBgNVHRMB\nAf8EBTADAQH/MB0GA1UdDgQWBBTwsWxz/Cs+lZ3sWQroogKxE2ShYzAKBggqhkjO\nPQQDAgNIADBFAiEA5BhTQyHEfB25VUvs4QTM1mXTAoWWsGxKYXVvsiymUNMCIGJt\nslE/USk7B0d39XFHJKGsmf1OY9z1JhbYf0VR92OA\n-----END CERTIFICATE-----\n';

export interface ClusterSpec {
  autoLock?: boolean;
  /** Nanoseconds; omitted keeps Docker's default of 90 days. */
  nodeCertExpiry?: number;
  updatedAt?: string;
  trustRoot?: string;
  forceRotate?: number;
  externalCas?: ApiDocument[];
  rootRotationInProgress?: boolean;
  dataPathPort?: number;
}

/** `GET /swarm` as a fresh `docker swarm init` returns it, join tokens removed as the collector does. */
export function cluster(spec: ClusterSpec = {}): ApiDocument {
  return {
    ID: 'wq211x8twu44ex5romxq5lhao',
    Version: { Index: 10 },
    CreatedAt: '2026-11-28T13:45:11.920343779Z',
    UpdatedAt: spec.updatedAt ?? '2026-11-28T13:45:12.461540748Z',
    Spec: {
      Name: 'default',
      Labels: {},
      Orchestration: { TaskHistoryRetentionLimit: 5 },
      Raft: { SnapshotInterval: 10000, KeepOldSnapshots: 0, LogEntriesForSlowFollowers: 500, ElectionTick: 10, HeartbeatTick: 1 },
      Dispatcher: { HeartbeatPeriod: 5000000000 },
      CAConfig: {
        NodeCertExpiry: spec.nodeCertExpiry ?? 7776000000000000,
        ...(spec.forceRotate !== undefined ? { ForceRotate: spec.forceRotate } : {}),
        ...(spec.externalCas ? { ExternalCAs: spec.externalCas } : {}),
      },
      TaskDefaults: {},
      EncryptionConfig: { AutoLockManagers: spec.autoLock ?? false },
    },
    TLSInfo: { TrustRoot: spec.trustRoot ?? SWARM_ROOT_CA, CertIssuerSubject: 'MBMxETAPBgNVBAMTCHN3YXJtLWNh', CertIssuerPublicKey: '' },
    RootRotationInProgress: spec.rootRotationInProgress ?? false,
    DefaultAddrPool: null,
    SubnetSize: 24,
    DataPathPort: spec.dataPathPort ?? 4789,
  };
}

export interface NodeSpec {
  hostname: string;
  role?: 'manager' | 'worker';
  addr?: string;
  leader?: boolean;
  reachability?: 'reachable' | 'unreachable' | 'unknown';
}

let nodeCounter = 0;

/** A `GET /nodes` entry. */
export function node(spec: NodeSpec): ApiDocument {
  nodeCounter += 1;
  const role = spec.role ?? 'manager';
  const addr = spec.addr ?? '127.0.0.1';
  return {
    ID: `node${nodeCounter}`.padEnd(25, 'x'),
    Spec: { Labels: {}, Role: role, Availability: 'active' },
    Description: { Hostname: spec.hostname, Platform: { Architecture: 'x86_64', OS: 'linux' } },
    Status: { State: 'ready', Addr: addr },
    ...(role === 'manager'
      ? { ManagerStatus: { Leader: spec.leader ?? false, Reachability: spec.reachability ?? 'reachable', Addr: `${addr}:2377` } }
      : {}),
  };
}

export interface ServiceSpec {
  name: string;
  id?: string;
  image?: string;
  /** Merged over the default ContainerSpec. */
  containerSpec?: ApiDocument;
  /** Merged over the default TaskTemplate (ContainerSpec aside). */
  taskTemplate?: ApiDocument;
  /** EndpointSpec ports; also reported as the endpoint's assigned ports. */
  ports?: ApiDocument[];
  /** Network ids the tasks attach to. */
  networks?: string[];
  /** Network ids of the endpoint's virtual IPs (ingress, for a service publishing in ingress mode). */
  virtualIps?: string[];
  labels?: Record<string, string>;
}

let serviceCounter = 0;

/** A `GET /services` entry, as `docker service create --name <name> <image> sleep 3600` makes it. */
export function service(spec: ServiceSpec): ApiDocument {
  serviceCounter += 1;
  const ports = spec.ports ?? [];
  const endpointSpec = { Mode: 'vip', ...(ports.length > 0 ? { Ports: ports } : {}) };
  return {
    ID: spec.id ?? `svc${serviceCounter}`.padEnd(25, '0'),
    Version: { Index: 18 },
    CreatedAt: '2026-11-28T13:45:12.556518819Z',
    UpdatedAt: '2026-11-28T13:45:12.560060068Z',
    Spec: {
      Name: spec.name,
      Labels: spec.labels ?? {},
      TaskTemplate: {
        ContainerSpec: {
          Image: spec.image ?? 'example/app:1.0',
          Args: ['sleep', '3600'],
          Init: false,
          DNSConfig: {},
          Isolation: 'default',
          ...spec.containerSpec,
        },
        Resources: { Limits: {}, Reservations: {} },
        Placement: {},
        ...(spec.networks ? { Networks: spec.networks.map((target) => ({ Target: target })) } : {}),
        ForceUpdate: 0,
        Runtime: 'container',
        ...spec.taskTemplate,
      },
      Mode: { Replicated: { Replicas: 1 } },
      EndpointSpec: endpointSpec,
    },
    Endpoint: {
      Spec: endpointSpec,
      ...(ports.length > 0 ? { Ports: ports } : {}),
      ...(spec.virtualIps ? { VirtualIPs: spec.virtualIps.map((id, index) => ({ NetworkID: id, Addr: `10.0.${index}.2/24` })) } : {}),
    },
  };
}

/** A published port as the API reports it. */
export function port(published: number, target: number, mode: 'ingress' | 'host' = 'ingress', protocol = 'tcp'): ApiDocument {
  return { Protocol: protocol, TargetPort: target, PublishedPort: published, PublishMode: mode };
}

export const INGRESS_ID = 'q1s5kjcqvg873bzlxj143lyct';

/** A `GET /networks` entry of an overlay network. */
export function overlay(name: string, options: { id?: string; encrypted?: boolean; ingress?: boolean } = {}): ApiDocument {
  return {
    Name: name,
    Id: options.id ?? `${name}-id`.padEnd(25, '0'),
    Scope: 'swarm',
    Driver: 'overlay',
    Ingress: options.ingress ?? false,
    Internal: false,
    Options: { 'com.docker.network.driver.overlay.vxlanid_list': '4097', ...(options.encrypted ? { encrypted: '' } : {}) },
    Labels: {},
  };
}

/** The ingress network every swarm has, plain as Docker creates it. */
export function ingress(encrypted = false): ApiDocument {
  return overlay('ingress', { id: INGRESS_ID, ingress: true, encrypted });
}

export interface SwarmSpec {
  cluster?: ApiDocument | undefined;
  nodes?: ApiDocument[];
  services?: ApiDocument[];
}

/**
 * Makes the snapshot a swarm manager's: info reports an active manager, and the swarm section
 * holds the given cluster (default: a fresh one), nodes (default: one leader) and services.
 */
export function inSwarm(builder: SnapshotBuilder, spec: SwarmSpec = {}): SnapshotBuilder {
  const nodes = spec.nodes ?? [node({ hostname: 'vm', leader: true })];
  return builder
    .daemon({ info: { Swarm: { NodeID: 'node1', NodeAddr: '127.0.0.1', LocalNodeState: 'active', ControlAvailable: true, Nodes: nodes.length } } })
    .with((snapshot) => {
      snapshot.swarm = {
        ...('cluster' in spec ? (spec.cluster ? { swarm: spec.cluster } : {}) : { swarm: cluster() }),
        nodes,
        services: spec.services ?? [],
      };
    });
}
