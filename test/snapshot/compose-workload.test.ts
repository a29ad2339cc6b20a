import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snap } from '../helpers/builder.js';
import type { SourceFile } from '../../src/snapshot/files.js';
import { workloadsFromCompose } from '../../src/views/from-compose.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import type { Workload } from '../../src/views/workload.js';

function snapshotOf(files: Record<string, string>, edit?: (snapshot: Snapshot) => void): Snapshot {
  const sourceFiles: SourceFile[] = Object.entries(files).map(([path, content]) => ({
    path,
    kind: path.endsWith('.env') ? 'env' : /Dockerfile$/.test(path) ? 'dockerfile' : 'compose',
    content,
  }));
  return snap()
    .with((snapshot) => {
      snapshot.files = { files: sourceFiles };
      edit?.(snapshot);
    })
    .build();
}

function workloads(compose: string, extra: Record<string, string> = {}, edit?: (snapshot: Snapshot) => void): Workload[] {
  return workloadsFromCompose(snapshotOf({ 'app/compose.yaml': compose, ...extra }, edit));
}

function only(compose: string, extra: Record<string, string> = {}): Workload {
  const [workload] = workloads(compose, extra);
  if (!workload) throw new Error('no workload');
  return workload;
}

describe('compose services as workloads', () => {
  it('reads the short and long port syntaxes', () => {
    const workload = only(
      [
        'services:',
        '  web:',
        '    image: nginx:1.27.0',
        '    ports:',
        '      - 80',
        '      - "8080:80"',
        '      - "127.0.0.1:5432:5432"',
        '      - "127.0.0.1::9000"',
        '      - "[::1]:53:53/udp"',
        '      - "::1:54:54"',
        '      - "7000-7001:8000-8001"',
        '      - "9100-9101"',
        '      - {target: 443, published: "8443", host_ip: 10.0.0.5, protocol: tcp, mode: host}',
        '      - {target: 6000}',
        '      - {target: 6100, published: 6100-6102}',
        '',
      ].join('\n'),
    );
    expect(workload.ports).toEqual([
      { containerPort: 80, protocol: 'tcp', hostIp: '' },
      { containerPort: 80, protocol: 'tcp', hostIp: '', hostPort: 8080 },
      { containerPort: 5432, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 5432 },
      { containerPort: 9000, protocol: 'tcp', hostIp: '127.0.0.1' },
      { containerPort: 53, protocol: 'udp', hostIp: '::1', hostPort: 53 },
      { containerPort: 54, protocol: 'tcp', hostIp: '::1', hostPort: 54 },
      { containerPort: 8000, protocol: 'tcp', hostIp: '', hostPort: 7000 },
      { containerPort: 8001, protocol: 'tcp', hostIp: '', hostPort: 7001 },
      { containerPort: 9100, protocol: 'tcp', hostIp: '' },
      { containerPort: 9101, protocol: 'tcp', hostIp: '' },
      { containerPort: 443, protocol: 'tcp', hostIp: '10.0.0.5', hostPort: 8443 },
      { containerPort: 6000, protocol: 'tcp', hostIp: '' },
      { containerPort: 6100, protocol: 'tcp', hostIp: '', hostPort: 6100, hostPortEnd: 6102 },
    ]);
    expect(workload.publishAll).toBe(false);
  });

  it('reads the short and long volume syntaxes and tmpfs', () => {
    const workload = only(
      [
        'services:',
        '  web:',
        '    image: nginx:1.27.0',
        '    volumes:',
        '      - /var/run/docker.sock:/var/run/docker.sock:ro',
        '      - ./html:/usr/share/nginx/html:ro,z',
        '      - data:/data',
        '      - /cache',
        '      - ~/.aws:/root/.aws',
        '      - /mnt:/mnt:rshared',
        '      - {type: bind, source: /etc, target: /host-etc, read_only: true, bind: {propagation: rslave}}',
        '      - {type: volume, source: logs, target: /logs, volume: {nocopy: true}}',
        '      - {type: tmpfs, target: /run, tmpfs: {size: 1m}}',
        '    tmpfs: [/tmp, "/var/tmp:size=1m"]',
        '',
      ].join('\n'),
    );
    expect(workload.mounts).toEqual([
      { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: true },
      { type: 'bind', source: './html', target: '/usr/share/nginx/html', readOnly: true },
      { type: 'volume', source: 'data', target: '/data', readOnly: false },
      { type: 'volume', source: '', target: '/cache', readOnly: false },
      { type: 'bind', source: '~/.aws', target: '/root/.aws', readOnly: false },
      { type: 'bind', source: '/mnt', target: '/mnt', readOnly: false, propagation: 'rshared' },
      { type: 'bind', source: '/etc', target: '/host-etc', readOnly: true, propagation: 'rslave' },
      { type: 'volume', source: 'logs', target: '/logs', readOnly: false },
      { type: 'tmpfs', source: '', target: '/run', readOnly: false },
      { type: 'tmpfs', source: '', target: '/tmp', readOnly: false },
      { type: 'tmpfs', source: '', target: '/var/tmp', readOnly: false },
    ]);
  });

  it('reads limits from the service keys and from deploy.resources, with units', () => {
    const [direct, deployed] = workloads(
      [
        'services:',
        '  a:',
        '    image: a:1',
        '    mem_limit: 1.5g',
        '    memswap_limit: -1',
        '    cpus: "0.5"',
        '    cpu_shares: 512',
        '    cpu_quota: 50000',
        '    cpuset: "0,1"',
        '    pids_limit: 100',
        '    oom_kill_disable: true',
        '    oom_score_adj: -100',
        '    cgroup_parent: /batch',
        '    ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 64}',
        '    devices: ["/dev/sda:/dev/xvda:r", "/dev/fuse", {source: /dev/kvm, permissions: rw}]',
        '  b:',
        '    image: b:1',
        '    deploy: {resources: {limits: {memory: 256M, cpus: "2", pids: 50}}}',
        '',
      ].join('\n'),
    );
    expect(direct?.resources).toEqual({
      memory: 1610612736,
      memorySwap: -1,
      kernelMemory: 0,
      cpuShares: 512,
      cpuQuota: 50000,
      nanoCpus: 500_000_000,
      cpusetCpus: '0,1',
      pidsLimit: 100,
      oomKillDisable: true,
      oomScoreAdj: -100,
      cgroupParent: '/batch',
      ulimits: [
        { name: 'nofile', soft: 1024, hard: 2048 },
        { name: 'nproc', soft: 64, hard: 64 },
      ],
      devices: [
        { hostPath: '/dev/sda', containerPath: '/dev/xvda', permissions: 'r' },
        { hostPath: '/dev/fuse', containerPath: '/dev/fuse', permissions: 'rwm' },
        { hostPath: '/dev/kvm', containerPath: '/dev/kvm', permissions: 'rw' },
      ],
    });
    expect(deployed?.resources).toMatchObject({ memory: 268435456, nanoCpus: 2_000_000_000, pidsLimit: 50 });
  });

  it('reads restart policies, healthchecks, logging, security options, environment and labels', () => {
    const [a, b, c] = workloads(
      [
        'services:',
        '  a:',
        '    image: a:1',
        '    restart: on-failure:3',
        '    healthcheck: {test: curl -f http://localhost/}',
        '    logging: {driver: json-file, options: {max-size: 10m, max-file: 3}}',
        '    security_opt: [no-new-privileges:true, "seccomp:unconfined"]',
        '    environment: [A=1, B]',
        '    labels: {tier: web}',
        '    user: 1000',
        '    privileged: true',
        '    read_only: true',
        '    cap_add: [NET_ADMIN]',
        '    cap_drop: [ALL]',
        '  b:',
        '    image: b:1',
        '    deploy: {restart_policy: {condition: on-failure, max_attempts: 4}}',
        '    healthcheck: {disable: true}',
        '  c:',
        '    image: c:1',
        '    deploy: {restart_policy: {}}',
        '    healthcheck: {interval: 10s}',
        '',
      ].join('\n'),
    );
    expect(a).toMatchObject({
      restart: { name: 'on-failure', maximumRetryCount: 3 },
      healthcheck: { test: ['CMD-SHELL', 'curl -f http://localhost/'], origin: 'workload' },
      logging: { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } },
      securityOpt: ['no-new-privileges:true', 'seccomp:unconfined'],
      env: { A: '1', B: '' },
      labels: { tier: 'web' },
      user: '1000',
      privileged: true,
      readOnlyRootfs: true,
      capAdd: ['NET_ADMIN'],
      capDrop: ['ALL'],
    });
    expect(b).toMatchObject({ restart: { name: 'on-failure', maximumRetryCount: 4 }, healthcheck: { test: ['NONE'] } });
    expect(c?.restart).toEqual({ name: 'always', maximumRetryCount: 0 });
    expect(c?.healthcheck).toBeUndefined();
  });

  it('puts services on the project network, not the default bridge, unless they ask for the bridge', () => {
    const list = workloads(
      [
        'name: Shop',
        'services:',
        '  plain: {image: "a:1"}',
        '  named: {image: "a:1", networks: [front, ext, renamed]}',
        '  bridge: {image: "a:1", network_mode: bridge}',
        '  host: {image: "a:1", network_mode: host, pid: host, ipc: host, uts: host, userns_mode: host, cgroup: host}',
        '  joined: {image: "a:1", networks: {outside: {}}}',
        'networks:',
        '  front: {}',
        '  ext: {external: true}',
        '  renamed: {name: custom-net}',
        '  outside: {external: true, name: bridge}',
        '',
      ].join('\n'),
    );
    const byName = Object.fromEntries(list.map((workload) => [workload.name, workload]));
    expect(byName['plain']).toMatchObject({ networks: ['shop_default'], namespaces: { network: 'shop_default' } });
    expect(byName['named']?.networks).toEqual(['shop_front', 'ext', 'custom-net']);
    expect(byName['bridge']).toMatchObject({ networks: ['bridge'], namespaces: { network: 'bridge' } });
    expect(byName['host']?.namespaces).toEqual({ network: 'host', pid: 'host', ipc: 'host', uts: 'host', userns: 'host', cgroup: 'host' });
    expect(byName['joined']?.networks).toEqual(['bridge']);
    expect(workloads('services:\n  web: {image: "a:1"}\n')[0]?.networks).toEqual(['app_default']);
  });

  it('names built services, skips services that cannot run, and takes user, EXPOSE and HEALTHCHECK from the Dockerfile', () => {
    const list = workloads(
      [
        'services:',
        '  api:',
        '    build: {context: ./api, target: runtime}',
        '    ports: ["127.0.0.1:8080:8080"]',
        '  worker:',
        '    build: ./worker',
        '    image: registry.example.com/worker:1.0',
        '  fragment:',
        '    mem_limit: 1g',
        '',
      ].join('\n'),
      {
        'app/api/Dockerfile': [
          'FROM node:20 AS base',
          'USER node',
          'FROM base AS runtime',
          'EXPOSE 8080 9229/udp',
          'HEALTHCHECK CMD ["node", "health.js"]',
          'FROM base AS tests',
          'USER root',
          '',
        ].join('\n'),
        'app/worker/Dockerfile': 'FROM python:3.12\nHEALTHCHECK NONE\n',
      },
    );
    expect(list.map((workload) => [workload.name, workload.image])).toEqual([
      ['api', 'api (built)'],
      ['worker', 'registry.example.com/worker:1.0'],
    ]);
    expect(list[0]).toMatchObject({
      imageUser: 'node',
      exposedPorts: ['8080/tcp', '9229/udp'],
      healthcheck: { test: ['CMD', 'node', 'health.js'], origin: 'image' },
    });
    expect(list[1]).toMatchObject({ healthcheck: { test: ['NONE'], origin: 'image' } });
    expect(list[1]?.imageUser).toBeUndefined();
  });

  it('takes image facts from the audited images when the image reference matches', () => {
    const list = workloads('services:\n  db:\n    image: postgres:16\n', {}, (snapshot) => {
      if (Array.isArray(snapshot.images)) {
        snapshot.images.push({
          inspect: {
            Id: 'sha256:1',
            RepoTags: ['postgres:16'],
            Config: { User: 'postgres', ExposedPorts: { '5432/tcp': {} }, Healthcheck: { Test: ['CMD', 'pg_isready'] } },
          },
        });
      }
    });
    expect(list[0]).toMatchObject({ imageUser: 'postgres', exposedPorts: ['5432/tcp'], healthcheck: { origin: 'image', test: ['CMD', 'pg_isready'] } });
  });
});

describe('key locations', () => {
  /** Every `key: '…'` a container rule points its findings at. */
  const ruleKeys = new Set(
    readdirSync(join(import.meta.dirname, '../../src/rules/container'))
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => [...readFileSync(join(import.meta.dirname, '../../src/rules/container', file), 'utf8').matchAll(/key: '([a-z_]+)'/g)].map((match) => match[1] as string)),
  );
  /** Keys with no Compose spelling: nothing to point at but the service. */
  const NOT_IN_COMPOSE = new Set(['kernel_memory']);

  const lines = [
    'services:',
    '  web:',
    '    image: nginx:1.27.0',
    '    user: root',
    '    privileged: true',
    '    cap_add: [SYS_ADMIN]',
    '    cap_drop: [NET_RAW]',
    '    network_mode: host',
    '    networks: [front]',
    '    pid: host',
    '    ipc: host',
    '    uts: host',
    '    userns_mode: host',
    '    cgroup_parent: /x',
    '    volumes: ["/:/host"]',
    '    ports: ["80:80"]',
    '    read_only: false',
    '    restart: always',
    '    healthcheck: {disable: true}',
    '    logging: {driver: none}',
    '    security_opt: [apparmor=unconfined]',
    '    mem_limit: 0',
    '    memswap_limit: -1',
    '    cpus: 0',
    '    pids_limit: 0',
    '    ulimits: {nofile: 1}',
    '    devices: [/dev/sda]',
    '    oom_kill_disable: true',
    '    oom_score_adj: -10',
    '',
  ];

  it('points every key a container rule names at the line that writes it', () => {
    const workload = only(lines.join('\n'));
    const lineOf = (key: string): number => lines.findIndex((line) => line.startsWith(`    ${key}:`)) + 1;
    const checked = [...ruleKeys].filter((key) => !NOT_IN_COMPOSE.has(key));
    expect(checked.length).toBeGreaterThan(20);
    for (const key of checked) {
      const expected = key === 'networks' ? lineOf('networks') : lineOf(key);
      expect(workload.keyLocations?.[key], key).toEqual({ file: 'app/compose.yaml', line: expected, column: 5 });
    }
    expect(workload.location).toEqual({ file: 'app/compose.yaml', line: 2, column: 3 });
    expect(workload.keyLocations?.['ports[0]']).toEqual({ file: 'app/compose.yaml', line: 16, column: 13 });
  });

  it('points settings with two spellings at the one the service uses', () => {
    const workload = only(
      [
        'services:',
        '  web:',
        '    build: .',
        '    network_mode: bridge',
        '    tmpfs: [/tmp]',
        '    deploy:',
        '      resources:',
        '        limits:',
        '          memory: 1g',
        '          cpus: "1"',
        '          pids: 10',
        '      restart_policy:',
        '        condition: any',
        '',
      ].join('\n'),
    );
    const line = (key: string): number | undefined => workload.keyLocations?.[key]?.line;
    expect([line('image'), line('networks'), line('volumes'), line('mem_limit'), line('cpus'), line('pids_limit'), line('restart')]).toEqual([3, 4, 5, 9, 10, 11, 12]);
  });

  it('points inherited and merged keys at the file and line that set them', () => {
    const list = workloadsFromCompose(
      snapshotOf({
        'app/compose.yaml': 'services:\n  web:\n    extends: {file: ../base/common.yml, service: base}\n    image: nginx:1.27.0\n',
        'base/common.yml': 'services:\n  base:\n    image: busybox:1\n    privileged: true\n',
        'app/compose.override.yaml': 'services:\n  web:\n    user: root\n',
      }),
    );
    const web = list.find((workload) => workload.name === 'web' && workload.location?.file === 'app/compose.yaml');
    expect(web?.keyLocations?.['privileged']).toEqual({ file: 'base/common.yml', line: 4, column: 5 });
    expect(web?.keyLocations?.['user']).toEqual({ file: 'app/compose.override.yaml', line: 3, column: 5 });
    expect(web?.keyLocations?.['image']).toEqual({ file: 'app/compose.yaml', line: 4, column: 5 });
  });
});

describe('compose service mapping edge cases', () => {
  it('maps a service with only an image to the defaults, with nothing left undefined by accident', () => {
    const workload = only('services:\n  web:\n    image: web:1\n');
    expect(workload).toEqual({
      kind: 'compose-service',
      name: 'web',
      image: 'web:1',
      user: '',
      privileged: false,
      capAdd: [],
      capDrop: [],
      namespaces: { network: 'app_default', pid: '', ipc: '', uts: '', userns: '', cgroup: '' },
      networks: ['app_default'],
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
      location: { file: 'app/compose.yaml', line: 2, column: 3 },
      keyLocations: { image: { file: 'app/compose.yaml', line: 3, column: 5 } },
    });
  });

  it('points at each item of a listed key and at the first alias the service writes', () => {
    const workload = only(
      [
        'services:',
        '  web:',
        '    image: web:1',
        '    cap_add: [NET_ADMIN, SYS_TIME]',
        '    security_opt:',
        '      - no-new-privileges:true',
        '    devices:',
        '      - /dev/fuse',
        '    volumes:',
        '      - a:/a',
        '      - /b:/b',
        '    cpu_quota: 50000',
        '    cpuset: "0"',
        '',
      ].join('\n'),
    );
    const at = (key: string) => workload.keyLocations?.[key];
    expect(at('cap_add[0]')).toEqual({ file: 'app/compose.yaml', line: 4, column: 15 });
    expect(at('cap_add[1]')).toEqual({ file: 'app/compose.yaml', line: 4, column: 26 });
    expect(at('security_opt[0]')).toEqual({ file: 'app/compose.yaml', line: 6, column: 9 });
    expect(at('devices[0]')).toEqual({ file: 'app/compose.yaml', line: 8, column: 9 });
    expect(at('volumes[1]')).toEqual({ file: 'app/compose.yaml', line: 11, column: 9 });
    expect(at('cap_add[2]')).toBeUndefined();
    // Neither cpus nor deploy limits: the CPU quota, written first, stands for them.
    expect(at('cpus')).toEqual({ file: 'app/compose.yaml', line: 12, column: 5 });
    expect(workload.resources).toMatchObject({ cpuQuota: 50000, cpusetCpus: '0', nanoCpus: 0 });
  });

  it("joins another service's or container's network stack without a network of its own", () => {
    const workload = only('services:\n  web:\n    image: web:1\n    network_mode: "service:db"\n');
    expect(workload.namespaces.network).toBe('service:db');
    expect(workload.networks).toEqual([]);
  });

  it('adds EXPOSE entries as tcp unless they name a protocol, without duplicates', () => {
    const workload = only('services:\n  web:\n    image: web:1\n    ports: ["8080:80"]\n    expose: ["80", "53/udp", 9000]\n');
    expect(workload.exposedPorts).toEqual(['80/tcp', '53/udp', '9000/tcp']);
  });

  it('reads cpus as nano-CPUs, from the service or from deploy limits', () => {
    expect(only('services:\n  web:\n    image: web:1\n    cpus: 1.5\n').resources.nanoCpus).toBe(1500000000);
    const deploy = only('services:\n  web:\n    image: web:1\n    deploy: {resources: {limits: {cpus: "0.25", pids: 5, memory: 1k}}}\n');
    expect(deploy.resources).toMatchObject({ nanoCpus: 250000000, pidsLimit: 5, memory: 1024 });
    expect(deploy.keyLocations?.['cpus']?.line).toBe(4);
  });

  it('ignores logging options that are not a mapping', () => {
    expect(only('services:\n  web:\n    image: web:1\n    logging: {driver: syslog, options: [a]}\n').logging).toEqual({ driver: 'syslog', options: {} });
  });

  it('marks a service built without an image, named after the service', () => {
    const workload = only('services:\n  api:\n    build: ./api\n');
    expect(workload).toMatchObject({ name: 'api', image: 'api (built)', built: true });
    expect(workload).not.toHaveProperty('imageUser');
  });
});
