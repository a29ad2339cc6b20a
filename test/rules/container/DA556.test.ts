import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA556.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

const logging = (Type: string, Config: Record<string, string> = {}) => ({ LogConfig: { Type, Config } });
const bind = (Source: string, Destination: string) => ({ Type: 'bind', Source, Destination, RW: false });

describe('DA556 container-logs-exported', () => {
  it('fails the none driver', () => {
    const findings = runRule(rule, snap().container({ name: 'silent', hostConfig: logging('none') }).build());
    expect(findingFor(findings, 'silent')).toMatchObject({ status: 'fail', messageId: 'noLogs' });
  });

  it('passes remote drivers and plugins, and journald as collectable', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'syslog', hostConfig: logging('syslog', { 'syslog-address': 'tcp://logs:514' }) })
        .container({ name: 'loki', hostConfig: logging('grafana/loki-docker-driver:latest') })
        .container({ name: 'journal', hostConfig: logging('journald') })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['journal', 'pass', 'journald'],
      ['loki', 'pass', 'remote'],
      ['syslog', 'pass', 'remote'],
    ]);
    expect(findingFor(findings, 'loki').message).toContain('grafana/loki-docker-driver:latest');
  });

  it('warns about json-file and local logs when no shipper container reads them', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'app' })
        .container({ name: 'local', hostConfig: logging('local') })
        .container({ name: 'portainer-agent', image: 'portainer/agent:2.19', mounts: [bind('/var/run/docker.sock', '/var/run/docker.sock')] })
        .build(),
    );
    expect(summary(findings)).toEqual([
      ['app', 'warn', 'hostOnly'],
      ['local', 'warn', 'hostOnly'],
      ['portainer-agent', 'warn', 'hostOnly'],
    ]);
    expect(findingFor(findings, 'local').message).toContain('local files');
  });

  it('passes file logs read by a running shipper that mounts the containers directory of the real data root', () => {
    const findings = runRule(
      rule,
      snap()
        .daemon({ info: { DockerRootDir: '/srv/docker' } })
        .container({ name: 'app' })
        .container({ name: 'fluent-bit', image: 'fluent/fluent-bit:3.0', mounts: [bind('/srv/docker/containers/', '/logs')] })
        .build(),
    );
    expect(findingFor(findings, 'app')).toMatchObject({ status: 'pass', messageId: 'shipper' });
    expect(findingFor(findings, 'app').message).toContain('fluent-bit (mounts /srv/docker/containers)');
  });

  it('recognises a known shipper reading logs through the Docker socket, but not a stopped one', () => {
    const running = runRule(
      rule,
      snap().container({ name: 'app' }).container({ name: 'dd', image: 'gcr.io/datadoghq/agent:7', mounts: [bind('/var/run/docker.sock', '/var/run/docker.sock')] }).build(),
    );
    expect(findingFor(running, 'app')).toMatchObject({ status: 'pass', messageId: 'shipper' });
    const stopped = runRule(
      rule,
      snap().container({ name: 'app' }).container({ name: 'logspout', state: 'exited', image: 'gliderlabs/logspout', mounts: [bind('/var/run/docker.sock', '/var/run/docker.sock')] }).build(),
    );
    expect(findingFor(stopped, 'app')).toMatchObject({ status: 'warn', messageId: 'hostOnly' });
  });
});

describe('DA556 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    logging:',
      '      driver: none',
      '  plain:',
      '    image: app:1.0',
      '    logging:',
      '      driver: syslog',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA556',
        alias: 'container-logs-exported',
        title: 'Container logs leave the host',
        family: 'container',
        status: 'fail',
        severity: 'medium',
        references: { cis: [], checklist: ['EXP-1'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'log driver none: the container output is not kept anywhere',
        messageId: 'noLogs',
        remediation: 'Use a remote log driver (syslog, gelf, fluentd, awslogs, splunk, gcplogs or a logging plugin) on the daemon ("log-driver" in daemon.json) or per container, or run a log shipper that reads the json-file/local logs; never --log-driver none.',
      },
      {
        ruleId: 'DA556',
        alias: 'container-logs-exported',
        title: 'Container logs leave the host',
        family: 'container',
        status: 'pass',
        severity: 'medium',
        references: { cis: [], checklist: ['EXP-1'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 6, column: 3 },
        message: 'logs are sent away by the syslog driver',
        messageId: 'remote',
      },
    ]);
  });
});
