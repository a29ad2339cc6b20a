import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA532.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA532 container-docker-socket', () => {
  it('fails any engine socket mount as critical, read-only or not, naming source and target', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'docker', state: 'created', mounts: [{ Type: 'bind', Source: '/var/run/docker.sock', Destination: '/var/run/docker.sock', RW: false }] })
        .container({ name: 'rootless', mounts: [{ Type: 'bind', Source: '/run/user/1000/docker.sock', Destination: '/docker.sock', RW: true }] })
        .container({ name: 'containerd', mounts: [{ Type: 'bind', Source: '/run/containerd/containerd.sock', Destination: '/run/containerd/containerd.sock', RW: true }] })
        .build(),
    );
    const docker = findingFor(findings, 'docker');
    expect(docker).toMatchObject({ status: 'fail', messageId: 'mounted', severity: 'critical' });
    expect(docker.message).toContain('/var/run/docker.sock -> /var/run/docker.sock (read-only, which does not protect it)');
    expect(docker.message).toContain('created');
    expect(findingFor(findings, 'rootless').message).toContain('/run/user/1000/docker.sock -> /docker.sock');
    expect(findingFor(findings, 'containerd')).toMatchObject({ status: 'fail', messageId: 'mounted' });
  });

  it('fails a mount of the directory holding the socket (/var/run, /run)', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'var-run', mounts: [{ Type: 'bind', Source: '/var/run', Destination: '/host/run', RW: true }] })
        .container({ name: 'run-data', mounts: [{ Type: 'bind', Source: '/run/app-data', Destination: '/data', RW: true }] })
        .build(),
    );
    expect(findingFor(findings, 'var-run')).toMatchObject({ status: 'fail', messageId: 'mounted' });
    expect(findingFor(findings, 'var-run').message).toContain('/var/run -> /host/run');
    expect(findingFor(findings, 'run-data')).toMatchObject({ status: 'pass', messageId: 'notMounted' });
  });

  it('knows the socket of each engine and each directory that holds one', () => {
    const sources = [
      '/var/run/docker.sock',
      '/run/containerd/containerd.sock',
      '/run/cri-dockerd.sock',
      '/run/podman/podman.sock',
      '/run',
      '/var/run/',
      '/run/containerd',
      '/var/run/containerd',
      '/run/docker',
      '/var/run/docker//',
    ];
    for (const source of sources) {
      const findings = runRule(rule, snap().container({ name: 'c', state: 'running', mounts: [{ Type: 'bind', Source: source, Destination: '/x', RW: true }] }).build());
      expect(findingFor(findings, 'c'), source).toMatchObject({ status: 'fail', messageId: 'mounted', message: `mounts the container engine socket: ${source} -> /x (state: running)` });
    }
  });

  it('passes sockets of other programs, other directories and volumes named like a socket', () => {
    const mounts = [
      { Type: 'bind', Source: '/run/user/1000/bus', Destination: '/bus', RW: true },
      { Type: 'bind', Source: '/var/run/mysqld', Destination: '/var/run/mysqld', RW: true },
      { Type: 'bind', Source: '/srv/run', Destination: '/run', RW: true },
      { Type: 'volume', Name: 'docker.sock', Source: '/var/lib/docker/volumes/docker.sock/_data', Destination: '/var/run/docker.sock', RW: true },
    ];
    const findings = runRule(rule, snap().container({ name: 'c', mounts }).build());
    expect(findingFor(findings, 'c')).toMatchObject({ status: 'pass', messageId: 'notMounted', message: 'no container engine socket is mounted' });
  });

  it('passes containers without a socket mount', () => {
    const findings = runRule(
      rule,
      snap().container({ name: 'app', mounts: [{ Type: 'volume', Name: 'data', Source: '/var/lib/docker/volumes/data/_data', Destination: '/data', RW: true }] }).build(),
    );
    expect(findingFor(findings, 'app')).toMatchObject({ status: 'pass', messageId: 'notMounted' });
  });

  it('fails the socket of a container from a daemon that reports no mount types (API before 1.25)', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'old', state: 'running', mounts: [{ Source: '/var/run/docker.sock', Destination: '/var/run/docker.sock', Mode: '', RW: true, Propagation: 'rprivate' }] })
        .container({ name: 'volume', mounts: [{ Name: 'docker.sock', Source: '/var/lib/docker/volumes/docker.sock/_data', Destination: '/data', Driver: 'local', RW: true }] })
        .build(),
    );
    expect(findingFor(findings, 'old')).toMatchObject({
      status: 'fail',
      messageId: 'mounted',
      message: 'mounts the container engine socket: /var/run/docker.sock -> /var/run/docker.sock (state: running)',
    });
    expect(findingFor(findings, 'volume')).toMatchObject({ status: 'pass', messageId: 'notMounted' });
  });

  it('is skipped with the reason when containers could not be listed', () => {
    const findings = runRule(rule, snap().daemonUnavailable('connect ENOENT /var/run/docker.sock').build());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 'DA532', status: 'skipped', messageId: '__skipped', subject: { kind: 'container' } });
    expect(findings[0]?.message).toContain('ENOENT');
  });
});

describe('DA532 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    volumes:',
      '      - /var/run/docker.sock:/var/run/docker.sock',
      '  plain:',
      '    image: app:1.0',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA532',
        alias: 'container-docker-socket',
        title: 'The Docker socket is not mounted into containers',
        family: 'container',
        status: 'fail',
        severity: 'critical',
        references: { cis: ['5.32'], checklist: ['ENV-3'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'mounts the container engine socket: /var/run/docker.sock -> /var/run/docker.sock (state: defined)',
        messageId: 'mounted',
        remediation: 'Remove the socket mount. Tools that need the API should reach it through a proxy that allows only the calls they need, or run on the host under their own account.',
      },
      {
        ruleId: 'DA532',
        alias: 'container-docker-socket',
        title: 'The Docker socket is not mounted into containers',
        family: 'container',
        status: 'pass',
        severity: 'critical',
        references: { cis: ['5.32'], checklist: ['ENV-3'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 6, column: 3 },
        message: 'no container engine socket is mounted',
        messageId: 'notMounted',
      },
    ]);
  });
});
