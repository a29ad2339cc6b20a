import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDockerdCommandLine, parseDockerdFlags } from '../../src/collect/daemon-config.js';

describe('parseDockerdFlags', () => {
  it('maps flags onto daemon.json keys, lists and objects included', () => {
    const settings = parseDockerdFlags([
      '-H', 'fd://',
      '--host=tcp://0.0.0.0:2375',
      '--icc=false',
      '--live-restore',
      '-l', 'debug',
      '--authorization-plugin=authz-broker',
      '--insecure-registry', 'reg.local:5000',
      '--log-opt', 'max-size=10m',
      '--log-opt=max-file=3',
      '--default-ulimit', 'nofile=1024:2048',
      '--userland-proxy=false',
      '--containerd=/run/containerd/containerd.sock',
    ]);
    expect(settings).toEqual({
      hosts: ['fd://', 'tcp://0.0.0.0:2375'],
      icc: false,
      'live-restore': true,
      'log-level': 'debug',
      'authorization-plugins': ['authz-broker'],
      'insecure-registries': ['reg.local:5000'],
      'log-opts': { 'max-size': '10m', 'max-file': '3' },
      'default-ulimits': { nofile: { Name: 'nofile', Soft: 1024, Hard: 2048 } },
      'userland-proxy': false,
      containerd: '/run/containerd/containerd.sock',
    });
  });

  it('treats a bare boolean flag as true without eating the next flag', () => {
    expect(parseDockerdFlags(['--tlsverify', '--tlscacert', '/ca.pem'])).toEqual({ tlsverify: true, tlscacert: '/ca.pem' });
  });
});

describe('findDockerdCommandLine', () => {
  function fakeProc(processes: Record<string, { comm: string; argv: string[] }>): string {
    const root = mkdtempSync(join(tmpdir(), 'da-proc-'));
    for (const [pid, process] of Object.entries(processes)) {
      mkdirSync(join(root, pid));
      writeFileSync(join(root, pid, 'comm'), `${process.comm}\n`);
      writeFileSync(join(root, pid, 'cmdline'), `${process.argv.join('\0')}\0`);
    }
    mkdirSync(join(root, 'self'));
    return root;
  }

  it('picks the dockerd serving the socket, telling two daemons apart', async () => {
    const root = fakeProc({
      '10': { comm: 'bash', argv: ['bash'] },
      '20': { comm: 'dockerd', argv: ['dockerd', '--icc=false'] },
      '30': { comm: 'dockerd', argv: ['dockerd', '-H', 'unix:///tmp/d2/docker.sock', '--iptables=false'] },
    });
    await expect(findDockerdCommandLine('/var/run/docker.sock', root)).resolves.toEqual(['dockerd', '--icc=false']);
    await expect(findDockerdCommandLine('/tmp/d2/docker.sock', root)).resolves.toEqual(['dockerd', '-H', 'unix:///tmp/d2/docker.sock', '--iptables=false']);
  });

  it('answers undefined when no dockerd serves the socket', async () => {
    const root = fakeProc({ '20': { comm: 'dockerd', argv: ['dockerd'] } });
    await expect(findDockerdCommandLine('/elsewhere.sock', root)).resolves.toBeUndefined();
  });
});
