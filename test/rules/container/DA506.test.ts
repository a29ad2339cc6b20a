import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA506.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';

function bind(source: string, destination: string, rw = true): Record<string, unknown> {
  return { Type: 'bind', Source: source, Destination: destination, RW: rw, Propagation: 'rprivate' };
}

describe('DA506 container-sensitive-mount', () => {
  it('fails writable mounts of host system directories and their subpaths, naming source and target', () => {
    const findings = runRule(
      rule,
      snap()
        .container({ name: 'rootfs', state: 'created', mounts: [bind('/', '/host')] })
        .container({ name: 'etc', mounts: [bind('/etc/ssl/', '/certs', false), bind('/var/lib/docker/volumes', '/data')] })
        .build(),
    );
    const rootfs = findingFor(findings, 'rootfs');
    expect(rootfs).toMatchObject({ status: 'fail', messageId: 'writable', severity: 'high' });
    expect(rootfs.message).toContain('/ -> /host (writable)');
    expect(rootfs.message).toContain('created');
    const etc = findingFor(findings, 'etc');
    expect(etc.message).toContain('/etc/ssl/ -> /certs (read-only)');
    expect(etc.message).toContain('/var/lib/docker/volumes -> /data (writable)');
  });

  it('still reports read-only sensitive mounts, with a lower severity', () => {
    const findings = runRule(rule, snap().container({ name: 'ro', mounts: [bind('/proc', '/host/proc', false)] }).build());
    expect(findingFor(findings, 'ro')).toMatchObject({ status: 'fail', messageId: 'readOnly', severity: 'medium' });
  });

  it('passes data directories, volumes, read-only time zone files and leaves the Docker socket to DA532', () => {
    const findings = runRule(
      rule,
      snap()
        .container({
          name: 'app',
          mounts: [
            bind('/srv/app/data', '/data'),
            bind('/etc/localtime', '/etc/localtime', false),
            bind('/var/run/docker.sock', '/var/run/docker.sock'),
            { Type: 'volume', Name: 'etc', Source: '/var/lib/docker/volumes/etc/_data', Destination: '/etc/app', RW: true },
            bind('/usrdata', '/u'),
          ],
        })
        .build(),
    );
    expect(findingFor(findings, 'app')).toMatchObject({ status: 'pass', messageId: 'none' });
  });

  it('reports a writable /etc/localtime like any other /etc path', () => {
    const findings = runRule(rule, snap().container({ name: 'tz', mounts: [bind('/etc/localtime', '/etc/localtime')] }).build());
    expect(findingFor(findings, 'tz')).toMatchObject({ status: 'fail', messageId: 'writable' });
  });
});
