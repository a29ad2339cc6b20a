import { describe, expect, it } from 'vitest';
import { servicePorts, workloadFromService, workloadsFromSwarm } from '../../src/views/from-service.js';
import { snap } from '../helpers/builder.js';
import type { AnyRule } from '../../src/rules/types.js';
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
