import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA509.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

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
});
