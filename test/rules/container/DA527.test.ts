import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA527.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

const check = { Test: ['CMD-SHELL', 'curl -f http://localhost/health || exit 1'], Interval: 30_000_000_000 };

describe('DA527 container-health', () => {
  it('fails a container without a healthcheck and one whose healthcheck is disabled', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'blind', state: 'exited' })
        .container({ name: 'off', config: { Healthcheck: { Test: ['NONE'] } } })
        .build(),
    );
    const blind = findingFor(findings, 'blind');
    expect(blind).toMatchObject({ status: 'fail', messageId: 'none' });
    expect(blind.message).toContain('exited');
    expect(findingFor(findings, 'off')).toMatchObject({ status: 'fail', messageId: 'disabled' });
  });

  it('fails a running container that is unhealthy, with its own message', () => {
    const findings = runRule(rule, snap().container({ name: 'sick', health: 'unhealthy', config: { Healthcheck: check } }).build());
    const sick = findingFor(findings, 'sick');
    expect(sick).toMatchObject({ status: 'fail', messageId: 'unhealthy' });
    expect(sick.message).toContain('curl -f http://localhost/health');
  });

  it('passes healthy and stopped containers with a healthcheck, giving the health and where the check comes from', () => {
    const findings = runRule(
      rule,
      snap()
        .image({ id: 'sha256:' + 'b'.repeat(64), config: { Healthcheck: check } })
        .container({ name: 'fine', health: 'healthy', imageId: 'sha256:' + 'b'.repeat(64), config: { Healthcheck: check } })
        .container({ name: 'stopped', state: 'exited', health: 'unhealthy', config: { Healthcheck: check } })
        .build(),
    );
    const fine = findingFor(findings, 'fine');
    expect(fine).toMatchObject({ status: 'pass', messageId: 'checked' });
    expect(fine.message).toContain('from the image');
    expect(fine.message).toContain('health: healthy');
    const stopped = findingFor(findings, 'stopped');
    expect(stopped).toMatchObject({ status: 'pass', messageId: 'checked' });
    expect(stopped.message).toContain('set on the container');
    expect(stopped.message).toContain('none while exited');
  });
});

describe('DA527 keeps secrets in healthchecks out of its messages', () => {
  const secret = 'pg-Secret-1234';
  const compose = [
    'services:',
    '  db:',
    '    image: postgres:16',
    '    healthcheck:',
    `      test: ["CMD-SHELL", "PGPASSWORD=${secret} pg_isready -h localhost -U app"]`,
    '',
  ].join('\n');

  it('redacts the password of a container healthcheck, passing or failing', () => {
    const healthcheck = { Test: ['CMD-SHELL', `PGPASSWORD=${secret} pg_isready -h localhost`] };
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'fine', health: 'healthy', config: { Healthcheck: healthcheck } })
        .container({ name: 'sick', health: 'unhealthy', config: { Healthcheck: { Test: ['CMD', 'mysqladmin', 'ping', `-p${secret}`] } } })
        .build(),
    );
    const fine = findingFor(findings, 'fine');
    expect(fine).toMatchObject({ status: 'pass', messageId: 'checked' });
    expect(fine.message).toContain('PGPASSWORD=*** pg_isready');
    const sick = findingFor(findings, 'sick');
    expect(sick).toMatchObject({ status: 'fail', messageId: 'unhealthy' });
    expect(sick.message).toContain('mysqladmin ping -p***');
    for (const finding of findings) expect(finding.message).not.toContain(secret);
  });

  it('redacts the password of a Compose service healthcheck', () => {
    const findings = runRule(rule, snap().with((s) => (s.files = { files: [{ path: 'compose.yaml', kind: 'compose', content: compose }] })).build());
    const db = findingFor(findings, 'db');
    expect(db).toMatchObject({ status: 'pass', messageId: 'checked', location: { file: 'compose.yaml' } });
    expect(db.message).toContain('PGPASSWORD=***');
    expect(db.message).not.toContain(secret);
  });
});

describe('DA527 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    healthcheck:',
      '      disable: true',
      '  plain:',
      '    image: app:1.0',
      '    healthcheck:',
      '      test: ["CMD", "/bin/check"]',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA527',
        alias: 'container-health',
        title: 'Container health is checked at runtime',
        family: 'container',
        status: 'fail',
        severity: 'low',
        references: { cis: ['5.27'], checklist: ['LOG-2'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'healthcheck is disabled (NONE, set on the container; state: defined)',
        messageId: 'disabled',
        remediation: 'Add a HEALTHCHECK to the image or --health-cmd to the container (healthcheck: in Compose) that exercises the service; investigate and repair containers reported unhealthy.',
      },
      {
        ruleId: 'DA527',
        alias: 'container-health',
        title: 'Container health is checked at runtime',
        family: 'container',
        status: 'pass',
        severity: 'low',
        references: { cis: ['5.27'], checklist: ['LOG-2'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 6, column: 3 },
        message: 'healthcheck /bin/check (set on the container); health: known only at runtime',
        messageId: 'checked',
      },
    ]);
  });
});

describe('DA527 claims nothing about an image it did not see', () => {
  const lines = ['services:', '  grafana:', '    image: grafana/grafana:11.1.0'];

  it('is manual for a service without healthcheck whose image lint never saw', () => {
    const found = runRule(rule, composeFile(lines)).find((finding) => finding.subject.name === 'grafana');
    expect(found).toMatchObject({ status: 'manual', messageId: 'imageNotSeen', location: { line: 2 } });
  });

  it('decides from the image when the audit saw it', () => {
    const withCheck = composeFile(lines);
    withCheck.images = snap().image({ repoTags: ['grafana/grafana:11.1.0'], config: { Healthcheck: { Test: ['CMD', 'wget', '-q', 'localhost:3000'] } } }).build().images;
    expect(runRule(rule, withCheck).find((finding) => finding.subject.name === 'grafana')).toMatchObject({ status: 'pass', messageId: 'checked' });
    const without = composeFile(lines);
    without.images = snap().image({ repoTags: ['grafana/grafana:11.1.0'] }).build().images;
    expect(runRule(rule, without).find((finding) => finding.subject.name === 'grafana')).toMatchObject({ status: 'fail', messageId: 'none' });
  });
});
