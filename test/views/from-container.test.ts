import { describe, expect, it } from 'vitest';
import type { ApiDocument, ContainerFacts } from '../../src/snapshot/types.js';
import { workloadFromContainer } from '../../src/views/from-container.js';

function facts(inspect: ApiDocument, processes?: ContainerFacts['processes']): ContainerFacts {
  return { inspect, ...(processes ? { processes } : {}) };
}

/** A container inspect document with every field the mapper reads set to a distinct value. */
const full: ApiDocument = {
  Id: 'abc123',
  Name: '/web/front',
  Image: 'sha256:feed',
  RestartCount: 3,
  State: { Status: 'running', Health: { Status: 'healthy' } },
  Config: {
    Image: 'nginx:1.27',
    User: '101:101',
    Env: ['A=1', 'B=x=y', 'FLAG'],
    Labels: { tier: 'web', count: 3 },
    Healthcheck: { Test: ['CMD', 'curl', '-f', 'http://localhost'] },
    ExposedPorts: { '80/tcp': {}, '9000/udp': {} },
  },
  HostConfig: {
    Privileged: true,
    CapAdd: ['NET_ADMIN', 7],
    CapDrop: ['ALL'],
    NetworkMode: 'host',
    PidMode: 'host',
    IpcMode: 'shareable',
    UTSMode: 'host',
    UsernsMode: 'host',
    CgroupnsMode: 'private',
    PublishAllPorts: false,
    Memory: 1048576,
    MemorySwap: -1,
    KernelMemory: 4096,
    CpuShares: 512,
    CpuQuota: 50000,
    NanoCpus: 1500000000,
    CpusetCpus: '0-1',
    PidsLimit: 100,
    OomKillDisable: true,
    OomScoreAdj: -500,
    CgroupParent: '/custom',
    Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }],
    Devices: [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' }],
    ReadonlyRootfs: true,
    RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 5 },
    LogConfig: { Type: 'json-file', Config: { 'max-size': '10m' } },
    SecurityOpt: ['no-new-privileges', 'seccomp=unconfined'],
  },
  NetworkSettings: { Networks: { bridge: {}, backend: {} } },
  Mounts: [],
};

describe('workloadFromContainer', () => {
  it('maps every field of an inspect document onto the workload shape', () => {
    const workload = workloadFromContainer(
      facts(full, [{ user: 'root', command: 'nginx: master', pid: '1' } as never]),
      { Config: { User: 'nginx', Healthcheck: { Test: ['CMD', 'true'] } } },
    );
    expect(workload).toEqual({
      kind: 'container',
      id: 'abc123',
      name: 'web/front',
      state: 'running',
      image: 'nginx:1.27',
      imageId: 'sha256:feed',
      user: '101:101',
      imageUser: 'nginx',
      privileged: true,
      capAdd: ['NET_ADMIN'],
      capDrop: ['ALL'],
      namespaces: { network: 'host', pid: 'host', ipc: 'shareable', uts: 'host', userns: 'host', cgroup: 'private' },
      networks: ['bridge', 'backend'],
      mounts: [],
      ports: [],
      publishAll: false,
      exposedPorts: [],
      resources: {
        memory: 1048576,
        memorySwap: -1,
        kernelMemory: 4096,
        cpuShares: 512,
        cpuQuota: 50000,
        nanoCpus: 1500000000,
        cpusetCpus: '0-1',
        pidsLimit: 100,
        oomKillDisable: true,
        oomScoreAdj: -500,
        cgroupParent: '/custom',
        ulimits: [{ name: 'nofile', soft: 1024, hard: 2048 }],
        devices: [{ hostPath: '/dev/fuse', containerPath: '/dev/fuse', permissions: 'rwm' }],
      },
      readOnlyRootfs: true,
      restart: { name: 'on-failure', maximumRetryCount: 5 },
      healthcheck: { test: ['CMD', 'curl', '-f', 'http://localhost'], origin: 'workload' },
      health: 'healthy',
      logging: { driver: 'json-file', options: { 'max-size': '10m' } },
      securityOpt: ['no-new-privileges', 'seccomp=unconfined'],
      env: { A: '1', B: 'x=y', FLAG: '' },
      labels: { tier: 'web' },
      processes: [{ user: 'root', command: 'nginx: master' }],
      restartCount: 3,
    });
  });

  it('reads an almost empty document as defaults, with no optional fields', () => {
    const workload = workloadFromContainer(facts({ Name: 'plain', HostConfig: { PidsLimit: null } }));
    expect(workload).toEqual({
      kind: 'container',
      id: '',
      name: 'plain',
      state: '',
      image: '',
      imageId: '',
      user: '',
      imageUser: '',
      privileged: false,
      capAdd: [],
      capDrop: [],
      namespaces: { network: '', pid: '', ipc: '', uts: '', userns: '', cgroup: '' },
      networks: [],
      mounts: [],
      ports: [],
      publishAll: false,
      exposedPorts: [],
      resources: {
        memory: 0,
        memorySwap: 0,
        kernelMemory: 0,
        cpuShares: 0,
        cpuQuota: 0,
        nanoCpus: 0,
        cpusetCpus: '',
        pidsLimit: 0,
        oomKillDisable: false,
        oomScoreAdj: 0,
        cgroupParent: '',
        ulimits: [],
        devices: [],
      },
      readOnlyRootfs: false,
      restart: { name: 'no', maximumRetryCount: 0 },
      logging: { driver: '', options: {} },
      securityOpt: [],
      env: {},
      labels: {},
      restartCount: 0,
    });
    expect(workload).not.toHaveProperty('healthcheck');
    expect(workload).not.toHaveProperty('health');
    expect(workload).not.toHaveProperty('processes');
  });

  it('reads truthy non-boolean flags as false', () => {
    const workload = workloadFromContainer(
      facts({ HostConfig: { Privileged: 'true', PublishAllPorts: 1, OomKillDisable: 'yes', ReadonlyRootfs: 1 } }),
    );
    expect(workload.privileged).toBe(false);
    expect(workload.publishAll).toBe(false);
    expect(workload.resources.oomKillDisable).toBe(false);
    expect(workload.readOnlyRootfs).toBe(false);
  });

  it('keeps no processes when they could not be read', () => {
    const workload = workloadFromContainer(facts({ Name: '/x' }, { unavailable: true, reason: 'not running' }));
    expect(workload).not.toHaveProperty('processes');
    expect(workload.name).toBe('x');
  });

  it('strips only the leading slash of a name', () => {
    expect(workloadFromContainer(facts({ Name: 'a/b' })).name).toBe('a/b');
    expect(workloadFromContainer(facts({ Name: '//a' })).name).toBe('/a');
  });

  it('keeps an empty process list', () => {
    expect(workloadFromContainer(facts({ Name: '/x' }, [])).processes).toEqual([]);
  });

  describe('healthcheck origin', () => {
    const withTest = (test: string[]): ApiDocument => ({ Config: { Healthcheck: { Test: test } } });

    it('is the image when the container repeats the image healthcheck', () => {
      const workload = workloadFromContainer(facts(withTest(['CMD', 'a', 'b'])), withTest(['CMD', 'a', 'b']));
      expect(workload.healthcheck).toEqual({ test: ['CMD', 'a', 'b'], origin: 'image' });
    });

    it('is the workload when the arguments are split differently', () => {
      const workload = workloadFromContainer(facts(withTest(['CMD', 'a b'])), withTest(['CMD', 'a', 'b']));
      expect(workload.healthcheck?.origin).toBe('workload');
    });

    it('is the workload when the image has none', () => {
      expect(workloadFromContainer(facts(withTest(['NONE'])), {}).healthcheck).toEqual({ test: ['NONE'], origin: 'workload' });
    });
  });

  describe('exposed ports', () => {
    const inspect: ApiDocument = { Config: { ExposedPorts: { '80/tcp': {}, '8080/tcp': {} } } };

    it("come from the image when the image is known, not from the container's list", () => {
      const workload = workloadFromContainer(facts(inspect), { Config: { ExposedPorts: { '80/tcp': {} } } });
      expect(workload.exposedPorts).toEqual(['80/tcp']);
    });

    it('come from the container when the image is gone', () => {
      expect(workloadFromContainer(facts(inspect)).exposedPorts).toEqual(['80/tcp', '8080/tcp']);
    });

    it('are none when the image declares none', () => {
      expect(workloadFromContainer(facts(inspect), { Config: {} }).exposedPorts).toEqual([]);
    });
  });

  describe('ports', () => {
    const ports = (hostConfig: ApiDocument, image?: ApiDocument) => workloadFromContainer(facts({ HostConfig: hostConfig }), image).ports;
    // Strict: a port without a host port or range end must not carry the key at all.

    it('maps a binding with a host address and port', () => {
      expect(ports({ PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] } })).toStrictEqual([
        { containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 8080 },
      ]);
    });

    it('leaves the host port out when it is empty or 0 (the daemon picks one)', () => {
      expect(
        ports({ PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '' }, { HostIp: '::', HostPort: '0' }, { HostIp: '0.0.0.0' }] } }),
      ).toStrictEqual([
        { containerPort: 80, protocol: 'tcp', hostIp: '' },
        { containerPort: 80, protocol: 'tcp', hostIp: '::' },
        { containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0' },
      ]);
    });

    it('maps a host port range and the protocol', () => {
      expect(ports({ PortBindings: { '53/udp': [{ HostIp: '', HostPort: '5300-5310' }] } })).toStrictEqual([
        { containerPort: 53, protocol: 'udp', hostIp: '', hostPort: 5300, hostPortEnd: 5310 },
      ]);
    });

    it('drops host port parts that are not numbers', () => {
      expect(ports({ PortBindings: { '80': [{ HostPort: 'x' }, { HostPort: '81-y' }, { HostPort: 'x-82' }] } })).toStrictEqual([
        { containerPort: 80, protocol: 'tcp', hostIp: '' },
        { containerPort: 80, protocol: 'tcp', hostIp: '', hostPort: 81 },
        { containerPort: 80, protocol: 'tcp', hostIp: '', hostPortEnd: 82 },
      ]);
    });

    it('ignores a binding list that is not an array', () => {
      expect(ports({ PortBindings: { '80/tcp': null, '81/tcp': { HostPort: '81' } } })).toStrictEqual([]);
    });

    it('publishes every exposed port without a binding when publish-all is set', () => {
      const image = { Config: { ExposedPorts: { '80/tcp': {}, '443/tcp': {}, '53/udp': {} } } };
      expect(ports({ PublishAllPorts: true, PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] } }, image)).toStrictEqual([
        { containerPort: 80, protocol: 'tcp', hostIp: '', hostPort: 8080 },
        { containerPort: 443, protocol: 'tcp', hostIp: '' },
        { containerPort: 53, protocol: 'udp', hostIp: '' },
      ]);
    });

    it('publishes nothing extra without publish-all', () => {
      const image = { Config: { ExposedPorts: { '80/tcp': {} } } };
      expect(ports({ PublishAllPorts: false }, image)).toStrictEqual([]);
    });

    it('publishes the exposed ports when publish-all is set and there are no bindings', () => {
      const workload = workloadFromContainer(facts({ HostConfig: { PublishAllPorts: true } }), { Config: { ExposedPorts: { '80/tcp': {} } } });
      expect(workload.ports).toStrictEqual([{ containerPort: 80, protocol: 'tcp', hostIp: '' }]);
      expect(workload.publishAll).toBe(true);
    });
  });

  describe('mounts', () => {
    const mounts = (list: unknown[]) => workloadFromContainer(facts({ Mounts: list })).mounts;

    it('maps a read-only bind mount with its propagation', () => {
      expect(mounts([{ Type: 'bind', Source: '/etc', Destination: '/host/etc', RW: false, Propagation: 'rshared' }])).toEqual([
        { type: 'bind', source: '/etc', target: '/host/etc', readOnly: true, propagation: 'rshared' },
      ]);
    });

    it('leaves the propagation out when empty and reads a missing RW as writable', () => {
      expect(mounts([{ Type: 'bind', Source: '/srv', Destination: '/srv', Propagation: '' }])).toEqual([
        { type: 'bind', source: '/srv', target: '/srv', readOnly: false },
      ]);
    });

    it('names a volume by its name, falling back to its source', () => {
      expect(
        mounts([
          { Type: 'volume', Name: 'data', Source: '/var/lib/docker/volumes/data/_data', Destination: '/data', RW: true },
          { Type: 'volume', Source: '/var/lib/docker/volumes/anon/_data', Destination: '/anon', RW: true },
        ]),
      ).toEqual([
        { type: 'volume', source: 'data', target: '/data', readOnly: false },
        { type: 'volume', source: '/var/lib/docker/volumes/anon/_data', target: '/anon', readOnly: false },
      ]);
    });

    it('uses the source, not the name, for a bind or tmpfs mount', () => {
      expect(mounts([{ Type: 'tmpfs', Name: 'ignored', Source: '', Destination: '/run', RW: true }])).toEqual([
        { type: 'tmpfs', source: '', target: '/run', readOnly: false },
      ]);
    });

    it('reads a mount without a type (API before 1.25) as a volume when it has a name, else as a bind mount', () => {
      expect(
        mounts([
          { Name: 'old', Source: '/var/lib/docker/volumes/old/_data', Destination: '/old', Driver: 'local', RW: true },
          { Name: '', Source: '/var/run/docker.sock', Destination: '/var/run/docker.sock', RW: true, Propagation: 'rprivate' },
        ]),
      ).toEqual([
        { type: 'volume', source: 'old', target: '/old', readOnly: false },
        { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: false, propagation: 'rprivate' },
      ]);
    });
  });
});
