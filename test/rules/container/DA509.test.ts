import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA509.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

describe('DA509 container-needed-ports', () => {
  it('fails publish-all, listing the ports it opened', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'all', config: { ExposedPorts: { '80/tcp': {}, '443/tcp': {} } }, hostConfig: { PublishAllPorts: true } })
        .build(),
    );
    expect(summary(findings)).toEqual([['all', 'fail', 'publishAll']]);
    expect(findings[0]?.message).toContain('0.0.0.0:random->80/tcp');
    expect(findings[0]?.message).toContain('443/tcp');
  });

  it('fails publish-all with explicit bindings once, listing the bound and the random ports', () => {
    const imageId = 'sha256:' + 'd'.repeat(64);
    const findings = runRule(
      rule,
      snap()
        .image({ id: imageId, config: { ExposedPorts: { '80/tcp': {}, '443/tcp': {} } } })
        .container({
          name: 'mixed',
          state: 'running',
          imageId,
          hostConfig: { PublishAllPorts: true, PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] } },
        })
        .build(),
    );
    expect(summary(findings)).toEqual([['mixed', 'fail', 'publishAll']]);
    expect(findings[0]?.message).toBe(
      'publishes every port its image exposes on random host ports (-P): 127.0.0.1:8080->80/tcp, 0.0.0.0:random->443/tcp (state: running)',
    );
  });

  it("compares with the image's EXPOSE, not the container's, which Docker extends with every published port", () => {
    const imageId = 'sha256:' + 'c'.repeat(64);
    const findings = runRule(
      rule,
      snap()
        .image({ id: imageId, config: { ExposedPorts: { '80/tcp': {} } } })
        .container({
          name: 'inspector',
          imageId,
          config: { ExposedPorts: { '80/tcp': {}, '9229/tcp': {} } },
          hostConfig: { PortBindings: { '9229/tcp': [{ HostIp: '', HostPort: '9229' }] } },
        })
        .build(),
    );
    expect(summary(findings)).toEqual([['inspector', 'warn', 'notExposed']]);
    expect(findings[0]?.message).toContain('image exposes: 80/tcp)');
  });

  it('warns about published ports the image does not expose', () => {
    const findings = runRule(
      rule,
      snap()
        .container({
          name: 'debug',
          config: { ExposedPorts: { '80/tcp': {} } },
          hostConfig: { PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }], '9229/tcp': [{ HostIp: '', HostPort: '9229' }] } },
        })
        .build(),
    );
    expect(summary(findings)).toEqual([['debug', 'warn', 'notExposed']]);
    expect(findings[0]?.message).toContain('0.0.0.0:9229->9229/tcp');
    expect(findings[0]?.message).toContain('image exposes: 80/tcp');
  });

  it('asks a person to confirm ports that match EXPOSE, and passes containers that publish nothing', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'web', config: { ExposedPorts: { '80/tcp': {} } }, hostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] } } })
        .container({ name: 'worker', config: { ExposedPorts: { '80/tcp': {} } } })
        .build(),
    );
    const web = findingFor(findings, 'web');
    expect(web).toMatchObject({ status: 'manual', messageId: 'review' });
    expect(web.message).toContain('127.0.0.1:8080->80/tcp');
    expect(findingFor(findings, 'worker')).toMatchObject({ status: 'pass', messageId: 'none' });
  });

  it('is skipped for a container on the host network', () => {
    const findings = runRule(rule, snap().container({ name: 'hostnet', hostConfig: { NetworkMode: 'host' } }).build());
    expect(summary(findings)).toEqual([['hostnet', 'skipped', 'hostNetwork']]);
  });

  it('is skipped with the reason when containers could not be listed', () => {
    const findings = runRule(rule, snap().daemonUnavailable('connect ENOENT /var/run/docker.sock').build());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 'DA509', status: 'skipped', messageId: '__skipped', subject: { kind: 'container' } });
    expect(findings[0]?.message).toContain('ENOENT');
  });
});

describe('DA509 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    ports:',
      '      - "8080:80"',
      '  plain:',
      '    image: app:1.0',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA509',
        alias: 'container-needed-ports',
        title: 'Containers publish only the ports they need',
        family: 'container',
        status: 'manual',
        severity: 'medium',
        references: { cis: ['5.9'], checklist: ['NET-1'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'publishes 0.0.0.0:8080->80/tcp: confirm that each is needed (state: defined)',
        messageId: 'review',
      },
      {
        ruleId: 'DA509',
        alias: 'container-needed-ports',
        title: 'Containers publish only the ports they need',
        family: 'container',
        status: 'pass',
        severity: 'medium',
        references: { cis: ['5.9'], checklist: ['NET-1'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 6, column: 3 },
        message: 'publishes no port',
        messageId: 'none',
      },
    ]);
  });

  it('collapses a published port range into one entry instead of listing every port', () => {
    const snapshot = composeFile(['services:', '  wide:', '    image: app:1.0', '    ports:', '      - "8000-8199:8000-8199"', '      - "127.0.0.1:53:53/udp"']);
    const finding = findingFor(runRule(rule, snapshot), 'wide');
    expect(finding.messageId).toBe('review');
    expect(finding.message).toBe('publishes 0.0.0.0:8000-8199->8000-8199/tcp, 127.0.0.1:53->53/udp: confirm that each is needed (state: defined)');
  });
});
