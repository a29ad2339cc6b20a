/**
 * Snapshot builders for tests: `snap().container({ hostConfig: { Privileged: true } }).build()`.
 * Defaults mirror what Docker Engine 20.10 reports for a plain `docker run` container on a
 * default daemon, so a test states only what differs.
 */
import type { HostSystemFacts } from '../../src/snapshot/host.js';
import { SNAPSHOT_SCHEMA_VERSION, type ApiDocument, type DaemonConfigFacts, type ProcessEntry, type Snapshot, type Unavailable } from '../../src/snapshot/types.js';

export interface ContainerSpec {
  name?: string;
  id?: string;
  /** created, running, exited, paused, restarting, dead. */
  state?: string;
  /** Runtime health status, when the container has a healthcheck. */
  health?: string;
  image?: string;
  imageId?: string;
  /** Merged over the default `Config`. */
  config?: ApiDocument;
  /** Merged over the default `HostConfig`. */
  hostConfig?: ApiDocument;
  /** `Mounts` entries as the API reports them. */
  mounts?: ApiDocument[];
  networks?: string[];
  processes?: ProcessEntry[] | Unavailable;
  restartCount?: number;
}

export interface ImageSpec {
  id?: string;
  repoTags?: string[];
  repoDigests?: string[];
  created?: string;
  /** Merged over the default `Config`. */
  config?: ApiDocument;
  history?: ApiDocument[] | Unavailable;
  size?: number;
}

export interface DaemonSpec {
  info?: ApiDocument;
  version?: ApiDocument;
  /** Effective settings; `undefined` leaves the config unavailable (remote daemon). */
  settings?: Record<string, unknown>;
  commandLine?: string[];
  configUnavailable?: string;
}

let counter = 0;
function fakeId(prefix: string): string {
  counter += 1;
  return (prefix + counter.toString(16)).padEnd(64, '0').slice(0, 64);
}

export function defaultInfo(): ApiDocument {
  return {
    ID: 'TEST:DAEMON',
    Name: 'testhost',
    ServerVersion: '20.10.24',
    Driver: 'overlay2',
    DockerRootDir: '/var/lib/docker',
    LoggingDriver: 'json-file',
    CgroupDriver: 'cgroupfs',
    CgroupVersion: '1',
    SecurityOptions: ['name=seccomp,profile=default'],
    LiveRestoreEnabled: false,
    ExperimentalBuild: false,
    Debug: false,
    Plugins: { Volume: ['local'], Network: ['bridge', 'host'], Authorization: null, Log: ['json-file', 'local'] },
    RegistryConfig: { InsecureRegistryCIDRs: ['127.0.0.0/8'], IndexConfigs: {} },
    Swarm: { LocalNodeState: 'inactive', ControlAvailable: false },
    Containers: 0,
    Images: 0,
    Warnings: [],
  };
}

export function defaultVersion(): ApiDocument {
  return {
    Version: '20.10.24',
    ApiVersion: '1.41',
    Os: 'linux',
    Arch: 'amd64',
    Components: [
      { Name: 'Engine', Version: '20.10.24' },
      { Name: 'containerd', Version: '1.6.20' },
      { Name: 'runc', Version: '1.1.5' },
    ],
  };
}

function defaultHostConfig(): ApiDocument {
  return {
    Binds: null,
    NetworkMode: 'default',
    PortBindings: {},
    RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
    CapAdd: null,
    CapDrop: null,
    CgroupnsMode: 'host',
    IpcMode: 'private',
    PidMode: '',
    UTSMode: '',
    UsernsMode: '',
    Privileged: false,
    PublishAllPorts: false,
    ReadonlyRootfs: false,
    SecurityOpt: null,
    LogConfig: { Type: 'json-file', Config: {} },
    CgroupParent: '',
    Memory: 0,
    MemorySwap: 0,
    KernelMemory: 0,
    CpuShares: 0,
    CpuQuota: 0,
    NanoCpus: 0,
    CpusetCpus: '',
    PidsLimit: null,
    OomKillDisable: false,
    OomScoreAdj: 0,
    Ulimits: null,
    Devices: [],
  };
}

export class SnapshotBuilder {
  private readonly snapshot: Snapshot;

  constructor() {
    this.snapshot = {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      tool: { name: 'dockaudit', version: '0.0.0-test' },
      collectedAt: '2026-01-01T00:00:00.000Z',
      target: { dockerHost: 'unix:///var/run/docker.sock' },
      daemon: { version: defaultVersion(), info: defaultInfo(), config: { configFile: { path: '/etc/docker/daemon.json', status: 'absent' }, settings: {}, origin: {} } },
      containers: [],
      images: [],
      networks: [],
      volumes: [],
      swarm: { unavailable: true, reason: 'this node is not part of a swarm' },
      host: { hostname: 'testhost', daemonIsLocal: true },
      problems: [],
    };
  }

  /** Replaces parts of the daemon facts. */
  daemon(spec: DaemonSpec): this {
    const current = this.snapshot.daemon;
    if ('unavailable' in current) throw new Error('daemon is unavailable in this snapshot');
    current.info = { ...current.info, ...spec.info };
    current.version = { ...current.version, ...spec.version };
    if (spec.configUnavailable !== undefined) {
      current.config = { unavailable: true, reason: spec.configUnavailable };
    } else if (spec.settings !== undefined || spec.commandLine !== undefined) {
      const settings = spec.settings ?? {};
      const config: DaemonConfigFacts = {
        configFile: { path: '/etc/docker/daemon.json', status: 'read' },
        settings,
        origin: Object.fromEntries(Object.keys(settings).map((key) => [key, 'file' as const])),
        ...(spec.commandLine ? { commandLine: spec.commandLine } : {}),
      };
      current.config = config;
    }
    return this;
  }

  /** Makes the daemon unreachable. */
  daemonUnavailable(reason: string): this {
    this.snapshot.daemon = { unavailable: true, reason };
    this.snapshot.containers = { unavailable: true, reason };
    this.snapshot.images = { unavailable: true, reason };
    this.snapshot.networks = { unavailable: true, reason };
    this.snapshot.volumes = { unavailable: true, reason };
    this.snapshot.swarm = { unavailable: true, reason };
    return this;
  }

  container(spec: ContainerSpec = {}): this {
    if ('unavailable' in this.snapshot.containers) throw new Error('containers are unavailable in this snapshot');
    const id = spec.id ?? fakeId('c0');
    const name = spec.name ?? `container-${this.snapshot.containers.length + 1}`;
    const state = spec.state ?? 'running';
    const networks = spec.networks ?? ['bridge'];
    this.snapshot.containers.push({
      inspect: {
        Id: id,
        Name: `/${name}`,
        Image: spec.imageId ?? 'sha256:' + 'a'.repeat(64),
        State: { Status: state, Running: state === 'running', ...(spec.health ? { Health: { Status: spec.health } } : {}) },
        Config: { User: '', Image: spec.image ?? 'example/app:1.0', Env: ['PATH=/usr/bin:/bin'], Labels: {}, ...spec.config },
        HostConfig: { ...defaultHostConfig(), ...spec.hostConfig },
        Mounts: spec.mounts ?? [],
        NetworkSettings: { Networks: Object.fromEntries(networks.map((network) => [network, {}])) },
        RestartCount: spec.restartCount ?? 0,
      },
      ...(spec.processes ? { processes: spec.processes } : {}),
    });
    return this;
  }

  image(spec: ImageSpec = {}): this {
    if ('unavailable' in this.snapshot.images) throw new Error('images are unavailable in this snapshot');
    this.snapshot.images.push({
      inspect: {
        Id: spec.id ?? 'sha256:' + fakeId('1'),
        RepoTags: spec.repoTags ?? ['example/app:1.0'],
        RepoDigests: spec.repoDigests ?? [],
        Created: spec.created ?? '2025-12-01T00:00:00Z',
        Size: spec.size ?? 1000,
        Config: { User: '', Env: [], ...spec.config },
      },
      history: spec.history ?? [],
    });
    return this;
  }

  network(doc: ApiDocument): this {
    if ('unavailable' in this.snapshot.networks) throw new Error('networks are unavailable in this snapshot');
    this.snapshot.networks.push(doc);
    return this;
  }

  /**
   * Sets host system facts: starts from an empty, fully visible host (no files, no users,
   * no audit rules…) and applies the given parts.
   */
  host(system: Partial<HostSystemFacts>): this {
    const current = this.snapshot.host.system;
    const base: HostSystemFacts =
      current && !('unavailable' in current)
        ? current
        : {
            root: '/',
            files: {},
            users: [],
            groups: [],
            mounts: [],
            audit: { live: [], persistent: [] },
            units: [],
            osRelease: { ID: 'debian', VERSION_ID: '12' },
            rebootRequired: false,
            packageUpdates: { manager: 'apt', pending: [] },
            sysctl: {},
            environment: { process: {}, files: [] },
            processes: [],
            binaries: {},
            journald: { persistentDirectory: false },
            syslogForwarding: [],
            iptables: '',
            notVisible: [],
          };
    this.snapshot.host.system = { ...base, ...system };
    return this;
  }

  /** Makes the host's system facts unavailable. */
  hostUnavailable(reason: string): this {
    this.snapshot.host.system = { unavailable: true, reason };
    return this;
  }

  /** Direct edits for cases the helpers above do not cover. */
  with(edit: (snapshot: Snapshot) => void): this {
    edit(this.snapshot);
    return this;
  }

  build(): Snapshot {
    return structuredClone(this.snapshot);
  }
}

/** Starts a snapshot builder. */
export function snap(): SnapshotBuilder {
  return new SnapshotBuilder();
}
