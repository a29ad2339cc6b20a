import { describe, expect, it } from 'vitest';
import { resolveEndpoint } from '../../src/collect/endpoint.js';
import { processesFromTop } from '../../src/collect/docker.js';
import { UsageError } from '../../src/errors.js';

describe('resolveEndpoint', () => {
  it('defaults to the local unix socket', () => {
    expect(resolveEndpoint(undefined, {})).toMatchObject({ address: 'unix:///var/run/docker.sock', socketPath: '/var/run/docker.sock' });
  });
  it('honours DOCKER_HOST and lets --host win', () => {
    expect(resolveEndpoint(undefined, { DOCKER_HOST: 'tcp://10.0.0.5:2375' }).options).toMatchObject({ host: '10.0.0.5', port: '2375', protocol: 'http' });
    expect(resolveEndpoint('unix:///tmp/x.sock', { DOCKER_HOST: 'tcp://10.0.0.5:2375' }).socketPath).toBe('/tmp/x.sock');
  });
  it('uses https on 2376 and refuses unknown schemes with a usage error', () => {
    expect(resolveEndpoint('tcp://example:2376', {}).options).toMatchObject({ protocol: 'https' });
    expect(() => resolveEndpoint('ftp://host', {})).toThrow(UsageError);
  });
  it('fails clearly when DOCKER_TLS_VERIFY is set and the certificates are missing', () => {
    expect(() => resolveEndpoint('tcp://example:2376', { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nonexistent' })).toThrow(/DOCKER_CERT_PATH/);
  });
});

describe('processesFromTop', () => {
  it('reads user, pid and command from the default ps titles', () => {
    expect(
      processesFromTop({ Titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'], Processes: [['root', '42', '1', '0', '10:00', '?', '00:00:00', '/usr/sbin/sshd -D']] }),
    ).toEqual([{ user: 'root', pid: '42', command: '/usr/sbin/sshd -D' }]);
  });
});
