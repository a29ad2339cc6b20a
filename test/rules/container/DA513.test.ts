import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA513.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

const mounts = [
  { Type: 'bind', Source: '/srv/uploads', Destination: '/uploads', RW: true },
  { Type: 'bind', Source: '/srv/config', Destination: '/config', RW: false },
  { Type: 'volume', Name: 'cache', Source: '/var/lib/docker/volumes/cache/_data', Destination: '/cache', RW: true },
];

describe('DA513 container-read-only-rootfs', () => {
  it('fails a writable root filesystem and lists the writable bind mounts', () => {
    const findings = runRule(rule, snap().container({ name: 'rw', state: 'exited', mounts }).build());
    const rw = findingFor(findings, 'rw');
    expect(rw).toMatchObject({ status: 'fail', messageId: 'writable' });
    expect(rw.message).toContain('/srv/uploads -> /uploads');
    expect(rw.message).not.toContain('/srv/config');
    expect(rw.message).toContain('exited');
  });

  it('passes a read-only root filesystem, still listing writable bind mounts', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'ro', hostConfig: { ReadonlyRootfs: true }, mounts })
        .container({ name: 'ro-bare', hostConfig: { ReadonlyRootfs: true } })
        .build(),
    );
    const ro = findingFor(findings, 'ro');
    expect(ro).toMatchObject({ status: 'pass', messageId: 'readOnly' });
    expect(ro.message).toContain('/srv/uploads -> /uploads');
    expect(findingFor(findings, 'ro-bare').message).toContain('writable bind mounts: none');
  });
});

describe('DA513 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    volumes:',
      '      - /srv/data:/data',
      '  plain:',
      '    image: app:1.0',
      '    read_only: true',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA513',
        alias: 'container-read-only-rootfs',
        title: 'Containers\' root filesystems are read-only',
        family: 'container',
        status: 'fail',
        severity: 'medium',
        references: { cis: ['5.13'], checklist: ['PERM-3'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 2, column: 3 },
        message: 'root filesystem is writable (state: defined); writable bind mounts: /srv/data -> /data',
        messageId: 'writable',
        remediation: 'Run with --read-only (read_only: true) and give the application writable volumes or tmpfs mounts only where it writes (--tmpfs /tmp, a data volume); keep host bind mounts read-only (:ro) where possible.',
      },
      {
        ruleId: 'DA513',
        alias: 'container-read-only-rootfs',
        title: 'Containers\' root filesystems are read-only',
        family: 'container',
        status: 'pass',
        severity: 'medium',
        references: { cis: ['5.13'], checklist: ['PERM-3'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 6, column: 3 },
        message: 'root filesystem is read-only; writable bind mounts: none',
        messageId: 'readOnly',
      },
    ]);
  });
});
