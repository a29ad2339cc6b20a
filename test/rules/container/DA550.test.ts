import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA550.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

const published = (containerPort: string, hostIp: string, hostPort: string) => ({
  PortBindings: { [containerPort]: [{ HostIp: hostIp, HostPort: hostPort }] },
});

describe('DA550 container-database-exposed', () => {
  it('fails a database image published on every interface, whatever the host port, naming image, port and address', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'pg', image: 'postgres:16', hostConfig: published('5432/tcp', '', '15432') })
        .container({ name: 'mssql', state: 'created', image: 'mcr.microsoft.com/mssql/server:2022-latest', hostConfig: published('1433/tcp', '0.0.0.0', '1433') })
        .container({ name: 'cache', image: 'registry.example.com:5000/team/redis@sha256:' + 'b'.repeat(64), hostConfig: published('6380/tcp', '192.168.1.10', '6380') })
        .build(),
    );
    const pg = findingFor(findings, 'pg');
    expect(pg).toMatchObject({ ruleId: 'DA550', status: 'fail', messageId: 'exposed', severity: 'critical' });
    expect(pg.message).toBe('database postgres (postgres:16) is published on 5432/tcp on 0.0.0.0:15432 (state: running)');
    const mssql = findingFor(findings, 'mssql');
    expect(mssql).toMatchObject({ status: 'fail', messageId: 'exposed' });
    expect(mssql.message).toContain('server');
    expect(mssql.message).toContain('state: created');
    expect(findingFor(findings, 'cache').message).toContain('6380/tcp on 192.168.1.10:6380');
  });

  it('fails a well-known database port of an unrecognised image, on IPv6 any-address too', () => {
    const findings = runRule(rule, snap().container({ name: 'custom', image: 'acme/store:3', hostConfig: published('27017/tcp', '::', '27017') }).build());
    const custom = findingFor(findings, 'custom');
    expect(custom).toMatchObject({ status: 'fail', messageId: 'exposed' });
    expect(custom.message).toContain('MongoDB');
    expect(custom.message).toContain('[::]:27017');
  });

  it('fails every port published by publish-all on a database image', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'es', image: 'docker.elastic.co/elasticsearch/elasticsearch:8.11.0', config: { ExposedPorts: { '9200/tcp': {} } }, hostConfig: { PublishAllPorts: true } })
        .build(),
    );
    expect(findingFor(findings, 'es').message).toContain('9200/tcp on 0.0.0.0:(random port)');
  });

  it('passes a database published on loopback only, or not published, and an ordinary web server', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'local', image: 'mysql:8', hostConfig: published('3306/tcp', '127.0.0.1', '3306') })
        .container({ name: 'local6', image: 'acme/app:1', hostConfig: published('6379/tcp', '::1', '6379') })
        .container({ name: 'internal', image: 'mariadb:11' })
        .container({ name: 'web', image: 'nginx:1.25', hostConfig: published('80/tcp', '', '8080') })
        .container({ name: 'ci', image: 'jenkins/jenkins:lts-jdk17', hostConfig: published('50000/tcp', '', '50000') })
        .container({ name: 'home', image: 'ghcr.io/home-assistant/home-assistant:stable', hostConfig: published('8123/tcp', '', '8123') })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['ci', 'pass', 'notDatabase'],
      ['home', 'pass', 'notDatabase'],
      ['internal', 'pass', 'notPublished'],
      ['local', 'pass', 'loopbackOnly'],
      ['local6', 'pass', 'loopbackOnly'],
      ['web', 'pass', 'notDatabase'],
    ]);
    expect(findingFor(findings, 'local').message).toContain('127.0.0.1:3306');
  });

  it('does not take a database name that is only part of the repository name or path', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'exporter', image: 'prom/postgres-exporter:v0.15', hostConfig: published('9187/tcp', '', '9187') })
        .container({ name: 'server', image: 'acme/server:1', hostConfig: published('8080/tcp', '', '8080') })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['exporter', 'pass', 'notDatabase'],
      ['server', 'pass', 'notDatabase'],
    ]);
  });

  it('warns about a database on the host network, where port bindings are discarded', () => {
    const findings = runRule(
      rule,
      snap()
        .container({
          name: 'hostpg',
          image: 'postgres:16',
          config: { ExposedPorts: { '5432/tcp': {} } },
          hostConfig: { NetworkMode: 'host', ...published('5432/tcp', '', '5432') },
        })
        .container({ name: 'hostapp', image: 'acme/store:1', config: { ExposedPorts: { '6379/tcp': {}, '8080/tcp': {} } }, hostConfig: { NetworkMode: 'host' } })
        .container({ name: 'hostweb', image: 'acme/web:1', config: { ExposedPorts: { '8080/tcp': {} } }, hostConfig: { NetworkMode: 'host' } })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['hostapp', 'warn', 'hostNetwork'],
      ['hostpg', 'warn', 'hostNetwork'],
      ['hostweb', 'pass', 'notDatabase'],
    ]);
    expect(findingFor(findings, 'hostpg').message).toContain('exposed ports: 5432/tcp');
    expect(findingFor(findings, 'hostapp').message).toContain('database Redis (acme/store:1)');
    expect(findingFor(findings, 'hostapp').message).toContain('exposed ports: 6379/tcp)');
  });

  it('takes extra images and ports from its options', () => {
    const snapshot = snap()
      .container({ name: 'store', image: 'ghcr.io/acme/store:2', hostConfig: published('7000/tcp', '', '7000') })
      .container({ name: 'broker', image: 'rabbitmq:3', hostConfig: published('5672/tcp', '', '5672') })
      .build();
    expect(summary(runRule(rule, snapshot))).toEqual([
      ['broker', 'pass', 'notDatabase'],
      ['store', 'pass', 'notDatabase'],
    ]);
    const findings = runRule(rule, snapshot, { extraImages: ['acme/store'], extraPorts: [5672] });
    expect(summary(findings)).toEqual([
      ['broker', 'fail', 'exposed'],
      ['store', 'fail', 'exposed'],
    ]);
    expect(findingFor(findings, 'broker').message).toContain('database port 5672');
  });

  it('rejects options of the wrong type', () => {
    expect(() => runRule(rule, snap().build(), { extraPorts: ['5432'] })).toThrow(/DA550/);
    expect(() => runRule(rule, snap().build(), { extraPorts: [70000] })).toThrow(/DA550/);
    expect(() => runRule(rule, snap().build(), { extraPorts: [80.5] })).toThrow(/DA550/);
  });
});

describe('DA550 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: postgres:16',
      '    ports:',
      '      - "5432:5432"',
      '  plain:',
      '    image: postgres:16',
      '    ports:',
      '      - "127.0.0.1:5432:5432"',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA550',
        alias: 'container-database-exposed',
        title: 'No database is published on a non-loopback address',
        family: 'container',
        status: 'fail',
        severity: 'critical',
        references: { cis: [], checklist: ['FW-2'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'database postgres (postgres:16) is published on 5432/tcp on 0.0.0.0:5432 (state: defined)',
        messageId: 'exposed',
        remediation: 'Do not publish database ports; reach the database over a user-defined network from the containers that need it, or publish it on 127.0.0.1 only (-p 127.0.0.1:5432:5432).',
      },
      {
        ruleId: 'DA550',
        alias: 'container-database-exposed',
        title: 'No database is published on a non-loopback address',
        family: 'container',
        status: 'pass',
        severity: 'critical',
        references: { cis: [], checklist: ['FW-2'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 6, column: 3 },
        message: 'database postgres is published on loopback only (5432/tcp on 127.0.0.1:5432)',
        messageId: 'loopbackOnly',
      },
    ]);
  });
});
