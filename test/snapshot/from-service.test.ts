import { describe, expect, it } from 'vitest';
import { servicePorts, workloadFromService, workloadsFromSwarm } from '../../src/views/from-service.js';
import { snap } from '../helpers/builder.js';
import type { AnyRule } from '../../src/rules/types.js';
import type { ApiDocument } from '../../src/snapshot/types.js';
import DA504 from '../../src/rules/container/DA504.js';
import DA505 from '../../src/rules/container/DA505.js';
import DA508 from '../../src/rules/container/DA508.js';
import DA510 from '../../src/rules/container/DA510.js';
import DA511 from '../../src/rules/container/DA511.js';
import DA513 from '../../src/rules/container/DA513.js';
import DA514 from '../../src/rules/container/DA514.js';
import DA515 from '../../src/rules/container/DA515.js';
import DA519 from '../../src/rules/container/DA519.js';
import DA526 from '../../src/rules/container/DA526.js';
import DA527 from '../../src/rules/container/DA527.js';
import DA529 from '../../src/rules/container/DA529.js';
import DA530 from '../../src/rules/container/DA530.js';
import DA532 from '../../src/rules/container/DA532.js';
import DA533 from '../../src/rules/container/DA533.js';
import DA550 from '../../src/rules/container/DA550.js';
import { findingFor, runRule } from '../helpers/rule-tester.js';
import { INGRESS_ID, ingress, inSwarm, overlay, port, service } from '../rules/swarm/support/swarm-builders.js';

/** A service with everything a hardened container would have, in Swarm's terms. */
const hardened = service({
  name: 'hardened',
  id: 'hardenedsvc',
  image: 'example/app:1.0',
  containerSpec: {
    User: '1000:1000',
    ReadOnly: true,
    CapabilityDrop: ['CAP_ALL'],
    Privileges: { NoNewPrivileges: true },
    Healthcheck: { Test: ['CMD', '/bin/true'], Interval: 2000000000 },
    Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }],
    Env: ['LOG_LEVEL=info', 'EMPTY'],
    Labels: { tier: 'api' },
  },
  taskTemplate: {
    Resources: { Limits: { MemoryBytes: 67108864, NanoCPUs: 500000000, Pids: 64 }, Reservations: {} },
    RestartPolicy: { Condition: 'on-failure', MaxAttempts: 5 },
    LogDriver: { Name: 'json-file', Options: { 'max-size': '10m' } },
  },
  networks: ['backendid'],
  labels: { team: 'core' },
});

/** The risky service: everything Swarm lets a service do wrong. */
const risky = service({
  name: 'risky',
  id: 'riskysvc',
  image: 'postgres:16',
  containerSpec: {
    CapabilityAdd: ['CAP_SYS_ADMIN'],
    Mounts: [
      { Type: 'bind', Source: '/var/run/docker.sock', Target: '/var/run/docker.sock' },
      { Type: 'bind', Source: '/etc', Target: '/host/etc', ReadOnly: true, BindOptions: { Propagation: 'rshared' } },
      { Type: 'volume', Source: 'pgdata', Target: '/var/lib/postgresql/data' },
    ],
    Privileges: { SELinuxContext: { Disable: true }, NoNewPrivileges: false },
  },
  ports: [port(5432, 5432), port(80, 8080, 'host')],
  virtualIps: [INGRESS_ID],
});

const hostNetworked = service({ name: 'host-net', networks: ['hostnetid'] });

function swarmSnapshot(...services: ReturnType<typeof service>[]) {
  return inSwarm(snap(), { services })
    .network(ingress())
    .network(overlay('backend', { id: 'backendid', encrypted: true }))
    .network({ Name: 'host', Id: 'hostnetid', Driver: 'host', Scope: 'local', Options: {} })
    .image({ repoTags: ['example/app:1.0'], config: { User: 'app', ExposedPorts: { '8080/tcp': {} }, Healthcheck: { Test: ['CMD', 'wget', '-q', 'localhost'] } } })
    .image({ id: 'sha256:' + 'b'.repeat(64), repoTags: ['postgres:16'], repoDigests: ['postgres@sha256:' + 'c'.repeat(64)], config: { User: '' } })
    .build();
}

describe('workloadFromService', () => {
  it('maps a service spec onto the workload shape', () => {
    const snapshot = swarmSnapshot(hardened);
    const workload = workloadFromService(hardened, snapshot);
    expect(workload).toMatchObject({
      kind: 'service',
      id: 'hardenedsvc',
      name: 'hardened',
      image: 'example/app:1.0',
      user: '1000:1000',
      imageUser: 'app',
      privileged: false,
      capAdd: [],
      capDrop: ['CAP_ALL'],
      networks: ['backend'],
      namespaces: { network: 'backend' },
      ports: [],
      publishAll: false,
      exposedPorts: ['8080/tcp'],
      readOnlyRootfs: true,
      restart: { name: 'on-failure', maximumRetryCount: 5 },
      healthcheck: { test: ['CMD', '/bin/true'], origin: 'workload' },
      logging: { driver: 'json-file', options: { 'max-size': '10m' } },
      securityOpt: ['no-new-privileges:true'],
      env: { LOG_LEVEL: 'info', EMPTY: '' },
      labels: { team: 'core', tier: 'api' },
    });
    expect(workload.resources).toMatchObject({ memory: 67108864, nanoCpus: 500000000, pidsLimit: 64, devices: [] });
    expect(workload.resources.ulimits).toEqual([{ name: 'nofile', soft: 1024, hard: 2048 }]);
    expect(workload.state).toBeUndefined();
  });

  it('maps ports on every interface, mounts, security options, the image by tag and the ingress attachment', () => {
    const workload = workloadFromService(risky, swarmSnapshot(risky));
    expect(workload.ports).toEqual([
      { containerPort: 5432, protocol: 'tcp', hostIp: '', hostPort: 5432 },
      { containerPort: 8080, protocol: 'tcp', hostIp: '', hostPort: 80 },
    ]);
    expect(workload.mounts).toEqual([
      { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: false },
      { type: 'bind', source: '/etc', target: '/host/etc', readOnly: true, propagation: 'rshared' },
      { type: 'volume', source: 'pgdata', target: '/var/lib/postgresql/data', readOnly: false },
    ]);
    expect(workload.securityOpt).toEqual(['label=disable', 'no-new-privileges:false']);
    expect(workload.imageId).toBe('sha256:' + 'b'.repeat(64));
    expect(workload.networks).toEqual(['ingress']);
    expect(servicePorts(risky).map((entry) => entry.mode)).toEqual(['ingress', 'host']);
  });

  it('fills defaults the way Swarm and the daemon do', () => {
    const bare = service({ name: 'bare', image: 'example/app:1.0@sha256:' + 'd'.repeat(64) });
    const snapshot = inSwarm(snap().daemon({ settings: { 'log-opts': { 'max-size': '5m', 'max-file': '2' } } }), { services: [bare] })
      .image({ repoTags: ['example/app:1.0'], config: { Healthcheck: { Test: ['CMD', 'true'] } } })
      .build();
    const [workload] = workloadsFromSwarm(snapshot);
    // No RestartPolicy: Swarm restarts on any exit, Docker's `always`.
    expect(workload?.restart).toEqual({ name: 'always', maximumRetryCount: 0 });
    // No LogDriver: the daemon's default driver with its default options.
    expect(workload?.logging).toEqual({ driver: 'json-file', options: { 'max-size': '5m', 'max-file': '2' } });
    expect(workload?.healthcheck).toEqual({ test: ['CMD', 'true'], origin: 'image' });
    // No network: Swarm puts the tasks on the default bridge.
    expect(workload?.namespaces.network).toBe('default');
    expect(workload?.networks).toEqual(['bridge']);
    expect(workload?.privileged).toBe(false);
  });

  it('maps restart conditions and the Privileges modes of newer API versions', () => {
    const none = service({
      name: 'none',
      taskTemplate: { RestartPolicy: { Condition: 'none' } },
      containerSpec: { Privileges: { Seccomp: { Mode: 'unconfined' }, AppArmor: { Mode: 'disabled' }, SELinuxContext: { Type: 'svirt_apache_t' } } },
    });
    const workload = workloadFromService(none, inSwarm(snap(), { services: [none] }).build());
    expect(workload.restart).toEqual({ name: 'no', maximumRetryCount: 0 });
    expect(workload.securityOpt).toEqual(['label=type:svirt_apache_t', 'seccomp=unconfined', 'apparmor=unconfined']);
  });

  it('returns no workload when the swarm is not available', () => {
    expect(workloadsFromSwarm(snap().build())).toEqual([]);
  });
});

describe('container rules on Swarm services', () => {
  const cases: [rule: AnyRule, risky: string, hardened: string][] = [
    [DA504, 'dangerousAdded', 'restricted'],
    [DA505, 'notPrivileged', 'notPrivileged'],
    [DA508, 'privilegedPorts', 'none'],
    [DA511, 'unlimited', 'limited'],
    [DA513, 'writable', 'readOnly'],
    [DA514, 'allInterfaces', 'noPorts'],
    [DA515, 'unbounded', 'bounded'],
    [DA519, 'defaults', 'overridden'],
    [DA526, 'disabledExplicitly', 'container'],
    [DA527, 'none', 'checked'],
    [DA529, 'unlimited', 'limited'],
    [DA530, 'otherNetworks', 'otherNetworks'],
    [DA532, 'mounted', 'notMounted'],
    [DA533, 'notSet', 'nonRoot'],
    [DA550, 'exposed', 'notDatabase'],
  ];

  for (const [rule, riskyMessage, hardenedMessage] of cases) {
    it(`${rule.meta.id} judges services under its own id`, () => {
      const findings = runRule(rule, swarmSnapshot(risky, hardened));
      const ofRisky = findings.filter((finding) => finding.subject.name === 'risky');
      expect(ofRisky.map((finding) => finding.messageId)).toContain(riskyMessage);
      expect(ofRisky[0]).toMatchObject({ ruleId: rule.meta.id, subject: { kind: 'service', id: 'riskysvc' } });
      expect(findingFor(findings, 'hardened')).toMatchObject({ ruleId: rule.meta.id, messageId: hardenedMessage, subject: { kind: 'service', id: 'hardenedsvc' } });
    });
  }

  it('fails the risky service where the hardened one passes', () => {
    const snapshot = swarmSnapshot(risky, hardened);
    for (const rule of [DA504, DA508, DA511, DA513, DA514, DA527, DA532, DA550]) {
      expect(runRule(rule, snapshot).find((finding) => finding.subject.name === 'risky')?.status, rule.meta.id).toBe('fail');
      expect(findingFor(runRule(rule, snapshot), 'hardened').status, rule.meta.id).toBe('pass');
    }
  });

  it('DA530 fails a service attached to no network, whose tasks land on the default bridge', () => {
    const finding = findingFor(runRule(DA530, swarmSnapshot(service({ name: 'loose' }))), 'loose');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'defaultBridge', subject: { kind: 'service' } });
  });

  it('DA510 fails a service attached to the host network', () => {
    const finding = findingFor(runRule(DA510, swarmSnapshot(hostNetworked)), 'host-net');
    expect(finding).toMatchObject({ status: 'fail', messageId: 'host', subject: { kind: 'service' } });
  });
});

describe('workloadFromService edge cases', () => {
  const bare = (extra: ApiDocument = {}): ApiDocument => ({ ID: 'svcid', Spec: { Name: 'edge', TaskTemplate: { ContainerSpec: { Image: 'x:1' } } }, ...extra });

  it('maps a service with nothing set to the fixed Swarm defaults', () => {
    const snapshot = snap().daemonUnavailable('down').build();
    const workload = workloadFromService(bare(), snapshot);
    expect(workload).toEqual({
      kind: 'service',
      id: 'svcid',
      name: 'edge',
      image: 'x:1',
      user: '',
      imageUser: '',
      privileged: false,
      capAdd: [],
      capDrop: [],
      namespaces: { network: 'default', pid: '', ipc: 'private', uts: '', userns: '', cgroup: '' },
      networks: ['bridge'],
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
      restart: { name: 'always', maximumRetryCount: 0 },
      logging: { driver: '', options: {} },
      securityOpt: [],
      env: {},
      labels: {},
    });
  });

  it('names a service by its id when the spec has no name', () => {
    expect(workloadFromService({ ID: 'only-id' }, snap().build()).name).toBe('only-id');
  });

  it('reads ports from the endpoint, then its spec, then the service spec', () => {
    const assigned = { Protocol: 'udp', TargetPort: 53, PublishedPort: 30053, PublishMode: 'host' };
    const declared = { TargetPort: 80 };
    const fromSpec = { TargetPort: 443, PublishedPort: 8443 };
    expect(servicePorts({ Endpoint: { Ports: [assigned], Spec: { Ports: [declared] } } })).toEqual([
      { targetPort: 53, publishedPort: 30053, protocol: 'udp', mode: 'host' },
    ]);
    expect(servicePorts({ Endpoint: { Spec: { Ports: [declared] } }, Spec: { EndpointSpec: { Ports: [fromSpec] } } })).toEqual([
      { targetPort: 80, protocol: 'tcp', mode: 'ingress' },
    ]);
    expect(servicePorts({ Spec: { EndpointSpec: { Ports: [fromSpec] } } })).toEqual([
      { targetPort: 443, publishedPort: 8443, protocol: 'tcp', mode: 'ingress' },
    ]);
    expect(servicePorts({ Endpoint: { Ports: [{ TargetPort: 1, PublishedPort: 0, PublishMode: 'ingress' }] } })).toEqual([
      { targetPort: 1, protocol: 'tcp', mode: 'ingress' },
    ]);
  });

  it('maps ports with and without a published port, on every interface', () => {
    const workload = workloadFromService(bare({ Endpoint: { Ports: [{ TargetPort: 80, PublishedPort: 8080 }, { TargetPort: 81, Protocol: 'sctp' }] } }), snap().build());
    expect(workload.ports).toEqual([
      { containerPort: 80, protocol: 'tcp', hostIp: '', hostPort: 8080 },
      { containerPort: 81, protocol: 'sctp', hostIp: '' },
    ]);
  });

  it('reads a mount without a type as a volume, and one without ReadOnly as writable', () => {
    const workload = workloadFromService(
      bare({ Spec: { TaskTemplate: { ContainerSpec: { Mounts: [{ Source: 'data', Target: '/data', ReadOnly: 'yes', BindOptions: { Propagation: '' } }] } } } }),
      snap().build(),
    );
    expect(workload.mounts).toEqual([{ type: 'volume', source: 'data', target: '/data', readOnly: false }]);
  });

  it('resolves attachments by id, short id or name, keeps unknown ones, and drops duplicates and blanks', () => {
    const long = 'abcdef0123456789abcdef012';
    const snapshot = snap()
      .network({ Name: 'front', Id: long })
      .network({ Name: 'back', Id: 'zzzzzzzzzzzzzzzzzzzzzzzzz' })
      .network({ Name: 'host', Id: 'hhhhhhhhhhhhhhhhhhhhhhhhh' })
      .build();
    const svc = bare({
      Spec: {
        Name: 'edge',
        TaskTemplate: { ContainerSpec: {}, Networks: [{ Target: long.slice(0, 12) }, { Target: 'back' }, { Target: '' }, { Target: 'gone' }] },
        Networks: [{ Target: long }],
      },
      Endpoint: { VirtualIPs: [{ NetworkID: 'zzzzzzzzzzzzzzzzzzzzzzzzz' }] },
    });
    const workload = workloadFromService(svc, snapshot);
    expect(workload.networks).toEqual(['front', 'back', 'gone']);
    expect(workload.namespaces.network).toBe('front');
    // An id prefix shorter than 12 characters is not taken as an id.
    const short = bare({ Spec: { TaskTemplate: { ContainerSpec: {}, Networks: [{ Target: long.slice(0, 11) }] } } });
    expect(workloadFromService(short, snapshot).networks).toEqual([long.slice(0, 11)]);
    const onHost = bare({ Spec: { TaskTemplate: { ContainerSpec: {}, Networks: [{ Target: 'back' }, { Target: 'host' }] } } });
    expect(workloadFromService(onHost, snapshot).namespaces.network).toBe('host');
  });

  it('keeps network ids as they are when the networks could not be listed', () => {
    const snapshot = snap().with((s) => { s.networks = { unavailable: true, reason: 'denied' }; }).build();
    const svc = bare({ Spec: { TaskTemplate: { ContainerSpec: {}, Networks: [{ Target: 'abc' }] } } });
    expect(workloadsFromSwarm(inSwarm(snap(), { services: [svc] }).with((s) => { s.networks = { unavailable: true, reason: 'denied' }; }).build())[0]?.networks).toEqual(['abc']);
    expect(workloadFromService(svc, snapshot).networks).toEqual(['abc']);
  });

  it('reads the healthcheck under either spelling, before the image one', () => {
    const snapshot = snap().image({ repoTags: ['x:1'], config: { Healthcheck: { Test: ['CMD', 'img'] } } }).build();
    const spelled = (key: string) => bare({ Spec: { TaskTemplate: { ContainerSpec: { Image: 'x:1', [key]: { Test: ['CMD', 'own'] } } } } });
    expect(workloadFromService(spelled('Healthcheck'), snapshot).healthcheck).toEqual({ test: ['CMD', 'own'], origin: 'workload' });
    expect(workloadFromService(spelled('HealthCheck'), snapshot).healthcheck).toEqual({ test: ['CMD', 'own'], origin: 'workload' });
    expect(workloadFromService(bare(), snapshot).healthcheck).toEqual({ test: ['CMD', 'img'], origin: 'image' });
    expect(workloadFromService(bare(), snap().image({ repoTags: ['x:1'], config: {} }).build())).not.toHaveProperty('healthcheck');
  });

  it('writes every SELinux field and the seccomp and AppArmor modes as security options', () => {
    const privileges = (value: ApiDocument) => bare({ Spec: { TaskTemplate: { ContainerSpec: { Privileges: value } } } });
    const all = privileges({
      SELinuxContext: { Disable: false, User: 'u', Role: 'r', Type: 't', Level: 's0' },
      NoNewPrivileges: true,
      Seccomp: { Mode: 'custom' },
      AppArmor: { Mode: 'default' },
    });
    expect(workloadFromService(all, snap().build()).securityOpt).toEqual([
      'label=user:u',
      'label=role:r',
      'label=type:t',
      'label=level:s0',
      'no-new-privileges:true',
      'seccomp=custom',
    ]);
    const defaults = privileges({ SELinuxContext: { Disable: 'true' }, NoNewPrivileges: 'true', Seccomp: { Mode: 'default' } });
    expect(workloadFromService(defaults, snap().build()).securityOpt).toEqual([]);
  });

  it('keeps an unknown restart condition as written', () => {
    const svc = bare({ Spec: { TaskTemplate: { ContainerSpec: {}, RestartPolicy: { Condition: 'sometimes', MaxAttempts: 2 } } } });
    expect(workloadFromService(svc, snap().build()).restart).toEqual({ name: 'sometimes', maximumRetryCount: 2 });
  });

  it("adds the daemon's default log options only for the daemon's default driver", () => {
    const daemon = snap().daemon({ info: { LoggingDriver: 'json-file' }, settings: { 'log-opts': { 'max-size': '5m', mode: 'non-blocking' } } });
    const withDriver = (driver: ApiDocument) => bare({ Spec: { TaskTemplate: { ContainerSpec: {}, LogDriver: driver } } });
    expect(workloadFromService(withDriver({ Name: 'json-file', Options: { 'max-size': '1m' } }), daemon.build()).logging).toEqual({
      driver: 'json-file',
      options: { 'max-size': '1m', mode: 'non-blocking' },
    });
    expect(workloadFromService(withDriver({ Name: 'syslog', Options: { tag: 'x' } }), daemon.build()).logging).toEqual({
      driver: 'syslog',
      options: { tag: 'x' },
    });
  });

  it('uses no default options when the daemon reports no default driver', () => {
    const snapshot = snap().daemon({ info: { LoggingDriver: '' }, settings: { 'log-opts': { 'max-size': '5m' } } }).build();
    expect(workloadFromService(bare(), snapshot).logging).toEqual({ driver: '', options: {} });
  });

  it("ignores the daemon's log options when its configuration could not be read", () => {
    const snapshot = snap()
      .daemon({ info: { LoggingDriver: 'json-file' } })
      .with((s) => {
        if (!('unavailable' in s.daemon)) s.daemon.config = { unavailable: true, reason: 'no access' };
      })
      .build();
    expect(workloadFromService(bare(), snapshot).logging).toEqual({ driver: 'json-file', options: {} });
  });

  it("lets the container's labels override the service's", () => {
    const svc = bare({ Spec: { Name: 'edge', Labels: { a: 'service', b: 'service' }, TaskTemplate: { ContainerSpec: { Labels: { b: 'container' } } } } });
    expect(workloadFromService(svc, snap().build()).labels).toEqual({ a: 'service', b: 'container' });
  });
});
