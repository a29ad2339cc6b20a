import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA506.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { composeFile } from './support/compose-file.js';

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

  it('knows each sensitive directory, below it too, and the root of the host (but not every path below it)', () => {
    const sensitive = ['/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/sys', '/usr', '/var/lib/docker', '/root', '/run', '/var/run'];
    for (const directory of sensitive) {
      for (const source of ['/', directory, `${directory}/sub/dir`]) {
        const findings = runRule(rule, snap().container({ name: 'c', state: 'running', mounts: [{ Type: 'bind', Source: source, Destination: '/x', RW: true }] }).build());
        expect(findingFor(findings, 'c'), source).toMatchObject({
          status: 'fail',
          messageId: 'writable',
          message: `mounts sensitive host paths, some writable: ${source} -> /x (writable) (state: running)`,
        });
      }
    }
  });

  it('passes paths that only share a prefix with a sensitive directory, or leave it again', () => {
    const sources = ['/sub/dir', '/etcetera', '/usr2/share', '/var/lib/dockerd', '/devices', '/home/app', '/srv', '/etc/../srv', 'relative/etc'];
    const mounts = sources.map((source, index) => ({ Type: 'bind', Source: source, Destination: `/m${index}`, RW: true }));
    const findings = runRule(rule, snap().container({ name: 'c', mounts }).build());
    expect(findingFor(findings, 'c')).toMatchObject({ status: 'pass', messageId: 'none', message: 'no sensitive host directory is mounted' });
  });

  it('names every sensitive mount, normalised, and fails when any one is writable', () => {
    const findings = runRule(
      rule,
      snap()
        .container({
          name: 'c',
          state: 'exited',
          mounts: [
            { Type: 'bind', Source: '/etc/ssl/', Destination: '/ssl', RW: false },
            { Type: 'bind', Source: '/usr//lib', Destination: '/lib', RW: true },
          ],
        })
        .container({ name: 'ro', mounts: [{ Type: 'bind', Source: '/etc/ssl', Destination: '/ssl', RW: false }] })
        .build(),
    );
    expect(findingFor(findings, 'c').message).toBe(
      'mounts sensitive host paths, some writable: /etc/ssl/ -> /ssl (read-only), /usr//lib -> /lib (writable) (state: exited)',
    );
    expect(findingFor(findings, 'ro')).toMatchObject({
      status: 'fail',
      messageId: 'readOnly',
      severity: 'medium',
      message: 'mounts sensitive host paths read-only (still readable from the container): /etc/ssl -> /ssl (read-only) (state: running)',
    });
  });

  it('reports a writable /etc/localtime like any other /etc path', () => {
    const findings = runRule(rule, snap().container({ name: 'tz', mounts: [bind('/etc/localtime', '/etc/localtime')] }).build());
    expect(findingFor(findings, 'tz')).toMatchObject({ status: 'fail', messageId: 'writable' });
  });
});

describe('DA506 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    volumes:',
      '      - /etc:/host/etc',
      '  plain:',
      '    image: app:1.0',
      '    volumes:',
      '      - data:/data',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA506',
        alias: 'container-sensitive-mount',
        title: 'Sensitive host directories are not mounted into containers',
        family: 'container',
        status: 'fail',
        severity: 'high',
        references: { cis: ['5.6'], checklist: ['ENV-3'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'mounts sensitive host paths, some writable: /etc -> /host/etc (writable) (state: defined)',
        messageId: 'writable',
        remediation: 'Mount only the application\'s own data directories; pass configuration through files made for the container (configs, secrets, a dedicated directory) instead of host system paths.',
      },
      {
        ruleId: 'DA506',
        alias: 'container-sensitive-mount',
        title: 'Sensitive host directories are not mounted into containers',
        family: 'container',
        status: 'pass',
        severity: 'high',
        references: { cis: ['5.6'], checklist: ['ENV-3'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 6, column: 3 },
        message: 'no sensitive host directory is mounted',
        messageId: 'none',
      },
    ]);
  });
});

describe('DA506 on named volumes that bind a host directory', () => {
  it('judges a local volume with o: bind and a device as a bind of that device', () => {
    const snapshot = composeFile([
      'services:',
      '  etc:',
      '    image: app:1.0',
      '    volumes:',
      '      - hostetc:/host/etc:ro',
      '  data:',
      '    image: app:1.0',
      '    volumes:',
      '      - appdata:/data',
      '      - plain:/cache',
      'volumes:',
      '  hostetc:',
      '    driver: local',
      '    driver_opts: {type: none, o: bind, device: /etc}',
      '  appdata:',
      '    driver_opts: {type: none, o: "bind", device: /srv/appdata}',
      '  plain: {}',
    ]);
    const findings = runRule(rule, snapshot);
    const etc = findingFor(findings, 'etc');
    expect(etc).toMatchObject({ status: 'fail', messageId: 'readOnly', location: { line: 4, column: 5 } });
    expect(etc.message).toContain('/etc -> /host/etc (read-only)');
    expect(findingFor(findings, 'data')).toMatchObject({ status: 'pass', messageId: 'none' });
  });

  it('leaves volumes of other drivers and without bind alone', () => {
    const snapshot = composeFile([
      'services:',
      '  nfs:',
      '    image: app:1.0',
      '    volumes: ["share:/data", "remote:/remote"]',
      'volumes:',
      '  share: {driver_opts: {type: nfs, o: "addr=10.0.0.1,rw", device: ":/etc"}}',
      '  remote: {driver: rexray, driver_opts: {o: bind, device: /etc}}',
    ]);
    expect(findingFor(runRule(rule, snapshot), 'nfs')).toMatchObject({ status: 'pass', messageId: 'none' });
  });
});
