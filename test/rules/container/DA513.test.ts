import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA513.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';

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
